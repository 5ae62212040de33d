// zlib, for inflating and checking the members of .npz archives (HOIData's ZipArchive).
#include <zlib.h>
