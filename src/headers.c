/* placeholder: being written */
#include "headers.h"
