/* placeholder: being written */
#include "finding.h"
