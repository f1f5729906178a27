/* placeholder: being written */
#include "yamldoc.h"
