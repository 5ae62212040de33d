// OpenBLAS's CBLAS interface (Debian: libopenblas-dev; pkg-config supplies the include path).
#include <cblas.h>

// Stops OpenBLAS's own worker threads (exported by OpenBLAS's pthreads build; not in
// cblas.h). See `BLAS.singleThreaded` for why.
int blas_thread_shutdown_(void);
