// FFmpeg's demuxers, decoders and encoders (Debian: libavformat-dev, libavcodec-dev,
// libavutil-dev; pkg-config `libavformat` brings all three). Only CVideo includes them.
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
