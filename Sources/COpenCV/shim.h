// OpenCV (Debian: libopencv-*-dev; pkg-config `glidn-opencv`, written by make deps) is C++: only CVision's C++ includes
// it, behind the C interface of CVision.h. This header gives the module a name.
#include <stddef.h>
