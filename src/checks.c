/* placeholder: being written */
#include "engine.h"
