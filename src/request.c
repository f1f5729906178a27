/* placeholder: being written */
#include "request.h"
