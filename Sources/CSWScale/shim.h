// FFmpeg's pixel-format conversion (Debian: libswscale-dev). Only CVideo includes it.
#include <libswscale/swscale.h>
