/* placeholder: being written */
#include "transfer.h"
