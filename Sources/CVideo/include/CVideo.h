#ifndef GLIDN_CVIDEO_H
#define GLIDN_CVIDEO_H

#include <stdint.h>

// Video files through FFmpeg: a reader that decodes every frame of the best video stream to
// RGB (24 bits per pixel), and a writer that encodes RGB frames to an MP4 (H.264 where FFmpeg
// has libx264, else MPEG-4 Part 2). Errors fill `error` (errorLength bytes, NUL-terminated)
// with FFmpeg's own words and return a negative number; nothing here aborts the process.

#ifdef __cplusplus
extern "C" {
#endif

/// What a reader refuses before allocating anything.
typedef struct {
    int maximumWidth;        // pixels
    int maximumHeight;       // pixels
    int64_t maximumFrames;   // decoded frames, whatever the header says
    double maximumSeconds;   // of stream time
} glidn_video_limits;

typedef struct {
    int width, height;
    double framesPerSecond;  // the stream's average rate (0 if unknown)
    double durationSeconds;  // as the container declares it (0 if unknown)
    int64_t declaredFrames;  // as the container declares it (0 if unknown)
    char codec[32];
    char container[32];
} glidn_video_info;

typedef struct glidn_video_reader glidn_video_reader;

/// Opens `path`, finds its best video stream and opens its decoder. Returns 0, or -1 with `error`.
int glidn_video_open(const char *path, glidn_video_limits limits, glidn_video_reader **reader, glidn_video_info *info,
                     char *error, int errorLength);

/// Decodes the next frame and keeps it; `seconds` receives its presentation time. Returns 1 for
/// a frame, 0 at the end, -1 on error (corrupt data, a frame of another size than the first, a
/// limit passed).
int glidn_video_next(glidn_video_reader *reader, double *seconds, char *error, int errorLength);

/// Converts the frame `glidn_video_next` kept into `rgb` (width · height · 3 bytes, rows packed).
/// Returns 0 or -1. A frame not sampled is never converted.
int glidn_video_convert(glidn_video_reader *reader, uint8_t *rgb, char *error, int errorLength);

/// Frames decoded so far.
int64_t glidn_video_decoded(const glidn_video_reader *reader);

void glidn_video_close(glidn_video_reader *reader);

typedef struct glidn_video_writer glidn_video_writer;

/// Creates `path` (an MP4) for frames of `width` × `height` (rounded down to even sizes) at
/// `framesPerSecond`. Returns 0, or -1 with `error`. `encoder` receives the encoder's name.
int glidn_video_writer_open(const char *path, int width, int height, double framesPerSecond, glidn_video_writer **writer,
                            char *encoder, int encoderLength, char *error, int errorLength);

/// Encodes one RGB frame (width · height · 3 bytes as given to open). Returns 0 or -1.
int glidn_video_writer_write(glidn_video_writer *writer, const uint8_t *rgb, char *error, int errorLength);

/// Flushes the encoder, writes the trailer and closes the file. Returns 0 or -1; frees the writer.
int glidn_video_writer_close(glidn_video_writer *writer, char *error, int errorLength);

/// "libavformat 59.27.100, libavcodec 59.37.100, libswscale 6.7.100".
void glidn_video_versions(char *text, int length);

#ifdef __cplusplus
}
#endif

#endif
