/* placeholder: being written */
#include "buf.h"
