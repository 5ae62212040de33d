// OpenBLAS's CBLAS interface (Debian: libopenblas-dev; pkg-config supplies the include path).
#include <cblas.h>
