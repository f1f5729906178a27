/* placeholder: being written */
#include "response.h"
