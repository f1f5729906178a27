/* placeholder: being written */
#include "report.h"
