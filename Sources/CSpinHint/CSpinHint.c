// Header-only: the hint is a static inline function in include/CSpinHint.h.
#include "CSpinHint.h"
