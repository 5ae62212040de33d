// Header-only: the operations are static inline functions in include/CVectorMath.h.
#include "CVectorMath.h"
