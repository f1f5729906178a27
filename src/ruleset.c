/* placeholder: being written */
#include "ruleset.h"
