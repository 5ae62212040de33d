// The decoding and encoding loops of FFmpeg's API (libavformat demuxes, libavcodec decodes and
// encodes, libswscale converts between RGB and the codecs' YUV), behind the small C interface
// of CVideo.h. Every size is checked against the caller's limits before a frame is converted,
// and the decoder itself refuses frames beyond them (`max_pixels`).
#include "CVideo.h"

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static void describe(char *error, int length, const char *what, int code) {
    if (!error || length <= 0) return;
    if (code < 0) {
        char words[AV_ERROR_MAX_STRING_SIZE] = {0};
        av_strerror(code, words, sizeof words);
        snprintf(error, (size_t)length, "%s: %s", what, words);
    } else {
        snprintf(error, (size_t)length, "%s", what);
    }
}

struct glidn_video_reader {
    AVFormatContext *format;
    AVCodecContext *codec;
    struct SwsContext *scale;
    AVPacket *packet;
    AVFrame *frame;
    int stream;
    int width, height;
    int draining;  // the demuxer is at its end: the decoder is being flushed
    int finished;
    int64_t decoded;
    double framesPerSecond;
    AVRational timeBase;
    glidn_video_limits limits;
    double deadline;  // monotonic seconds: a read that makes no progress until then is cut off
};

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

// A file that stalls the demuxer (a FIFO slipped past the caller's checks, a network mount)
// ends the read after 30 s without progress instead of hanging.
static int interrupt(void *opaque) {
    const glidn_video_reader *reader = opaque;
    return reader->deadline > 0 && now_seconds() > reader->deadline;
}

// FFmpeg's own messages would go to standard error unasked; every failure reaches the caller
// through the return codes and `error` instead. The last error FFmpeg logged on this thread is
// kept: it often says more than the error code ("Picture size 100000x100000 is invalid" where
// the code says "Device or resource busy").
static _Thread_local char lastLogged[200];

static void capture(void *context, int level, const char *format, va_list arguments) {
    (void)context;
    if (level > AV_LOG_ERROR) return;
    vsnprintf(lastLogged, sizeof lastLogged, format, arguments);
    size_t n = strlen(lastLogged);
    while (n > 0 && (lastLogged[n - 1] == '\n' || lastLogged[n - 1] == ' ')) lastLogged[--n] = 0;
}

static void quiet(void) {
    av_log_set_callback(capture);
    lastLogged[0] = 0;
}

// `what`, then FFmpeg's own words for the failure if it logged any, else the code's.
static void describe_failure(char *error, int length, const char *what, int code) {
    if (lastLogged[0] && error && length > 0) {
        snprintf(error, (size_t)length, "%s: %s", what, lastLogged);
    } else {
        describe(error, length, what, code);
    }
}

int glidn_video_open(const char *path, glidn_video_limits limits, glidn_video_reader **out, glidn_video_info *info,
                     char *error, int errorLength) {
    quiet();
    *out = NULL;
    glidn_video_reader *r = av_mallocz(sizeof *r);
    if (!r) { describe(error, errorLength, "out of memory", 0); return -1; }
    r->limits = limits;
    r->format = avformat_alloc_context();
    if (!r->format) { av_free(r); describe(error, errorLength, "out of memory", 0); return -1; }
    r->format->interrupt_callback.callback = interrupt;
    r->format->interrupt_callback.opaque = r;
    r->deadline = now_seconds() + 30;
    int code = avformat_open_input(&r->format, path, NULL, NULL);
    if (code < 0) {
        describe_failure(error, errorLength, "not a video FFmpeg can read", code);
        av_free(r);
        return -1;
    }
    code = avformat_find_stream_info(r->format, NULL);
    if (code < 0) {
        describe_failure(error, errorLength, "cannot read the streams", code);
        glidn_video_close(r);
        return -1;
    }
    const AVCodec *decoder = NULL;
    r->stream = av_find_best_stream(r->format, AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0);
    if (r->stream < 0 || !decoder) {
        describe(error, errorLength, r->stream == AVERROR_DECODER_NOT_FOUND ? "no decoder for its video stream" : "it has no video stream", 0);
        glidn_video_close(r);
        return -1;
    }
    AVStream *stream = r->format->streams[r->stream];
    AVCodecParameters *parameters = stream->codecpar;
    if (parameters->width <= 0 || parameters->height <= 0 || parameters->width > limits.maximumWidth
        || parameters->height > limits.maximumHeight) {
        char text[160];
        snprintf(text, sizeof text, "its video stream declares %d × %d pixels (at most %d × %d are read)", parameters->width,
                 parameters->height, limits.maximumWidth, limits.maximumHeight);
        describe(error, errorLength, text, 0);
        glidn_video_close(r);
        return -1;
    }
    r->codec = avcodec_alloc_context3(decoder);
    if (!r->codec || avcodec_parameters_to_context(r->codec, parameters) < 0) {
        describe(error, errorLength, "cannot set up the decoder", 0);
        glidn_video_close(r);
        return -1;
    }
    r->codec->thread_count = 2;
    r->codec->max_pixels = (int64_t)limits.maximumWidth * limits.maximumHeight;
    code = avcodec_open2(r->codec, decoder, NULL);
    if (code < 0) {
        describe(error, errorLength, "cannot open the decoder", code);
        glidn_video_close(r);
        return -1;
    }
    r->packet = av_packet_alloc();
    r->frame = av_frame_alloc();
    if (!r->packet || !r->frame) {
        describe(error, errorLength, "out of memory", 0);
        glidn_video_close(r);
        return -1;
    }
    r->width = parameters->width;
    r->height = parameters->height;
    r->timeBase = stream->time_base;
    AVRational rate = av_guess_frame_rate(r->format, stream, NULL);  // as ffprobe and players: r_frame_rate unless implausible
    r->framesPerSecond = rate.num > 0 && rate.den > 0 ? av_q2d(rate) : 0;
    if (info) {
        memset(info, 0, sizeof *info);
        info->width = r->width;
        info->height = r->height;
        info->framesPerSecond = r->framesPerSecond;
        if (r->format->duration > 0) info->durationSeconds = (double)r->format->duration / AV_TIME_BASE;
        info->declaredFrames = stream->nb_frames > 0 ? stream->nb_frames : 0;
        snprintf(info->codec, sizeof info->codec, "%s", decoder->name);
        snprintf(info->container, sizeof info->container, "%s", r->format->iformat->name);
    }
    *out = r;
    return 0;
}

// Checks the decoded frame (its size, the limits) and keeps it for `glidn_video_convert`.
static int deliver(glidn_video_reader *r, double *seconds, char *error, int errorLength) {
    AVFrame *f = r->frame;
    r->decoded += 1;
    if (f->width != r->width || f->height != r->height) {
        char text[160];
        snprintf(text, sizeof text, "frame %lld is %d × %d pixels, but the stream began at %d × %d", (long long)r->decoded, f->width,
                 f->height, r->width, r->height);
        describe(error, errorLength, text, 0);
        return -1;
    }
    int64_t stamp = f->best_effort_timestamp;
    double time = stamp != AV_NOPTS_VALUE ? (double)stamp * av_q2d(r->timeBase)
                                          : (r->framesPerSecond > 0 ? (double)(r->decoded - 1) / r->framesPerSecond : 0);
    if (r->decoded > r->limits.maximumFrames || time > r->limits.maximumSeconds) {
        char text[160];
        snprintf(text, sizeof text, "it runs beyond %lld frames or %.0f s, the most read from one video",
                 (long long)r->limits.maximumFrames, r->limits.maximumSeconds);
        describe(error, errorLength, text, 0);
        return -1;
    }
    if (seconds) *seconds = time;
    return 1;
}

int glidn_video_convert(glidn_video_reader *r, uint8_t *rgb, char *error, int errorLength) {
    AVFrame *f = r->frame;
    if (!f->data[0]) {
        describe(error, errorLength, "no decoded frame to convert", 0);
        return -1;
    }
    r->scale = sws_getCachedContext(r->scale, f->width, f->height, (enum AVPixelFormat)f->format, r->width, r->height,
                                    AV_PIX_FMT_RGB24, SWS_BILINEAR, NULL, NULL, NULL);
    if (!r->scale) {
        describe(error, errorLength, "cannot convert its frames to RGB", 0);
        return -1;
    }
    uint8_t *planes[4] = {rgb, NULL, NULL, NULL};
    int strides[4] = {r->width * 3, 0, 0, 0};
    sws_scale(r->scale, (const uint8_t *const *)f->data, f->linesize, 0, f->height, planes, strides);
    return 0;
}

int glidn_video_next(glidn_video_reader *r, double *seconds, char *error, int errorLength) {
    if (r->finished) return 0;
    av_frame_unref(r->frame);  // the frame kept for conversion
    for (;;) {
        int code = avcodec_receive_frame(r->codec, r->frame);
        if (code == 0) return deliver(r, seconds, error, errorLength);
        if (code == AVERROR_EOF) {
            r->finished = 1;
            return 0;
        }
        if (code != AVERROR(EAGAIN)) {
            describe(error, errorLength, "cannot decode a frame", code);
            return -1;
        }
        if (r->draining) {
            r->finished = 1;
            return 0;
        }
        r->deadline = now_seconds() + 30;
        code = av_read_frame(r->format, r->packet);
        if (code == AVERROR_EOF) {
            r->draining = 1;
            avcodec_send_packet(r->codec, NULL);  // flush: the frames still inside come out above
            continue;
        }
        if (code < 0) {
            describe(error, errorLength, code == AVERROR_EXIT ? "reading stalled for 30 s" : "cannot read it", code);
            return -1;
        }
        if (r->packet->stream_index == r->stream) {
            code = avcodec_send_packet(r->codec, r->packet);
            // A damaged packet is concealed by the decoder or skipped, as players do; anything
            // else is an error.
            if (code < 0 && code != AVERROR_INVALIDDATA && code != AVERROR(EAGAIN)) {
                av_packet_unref(r->packet);
                describe(error, errorLength, "cannot decode a packet", code);
                return -1;
            }
        }
        av_packet_unref(r->packet);
    }
}

int64_t glidn_video_decoded(const glidn_video_reader *r) { return r->decoded; }

void glidn_video_close(glidn_video_reader *r) {
    if (!r) return;
    sws_freeContext(r->scale);
    av_frame_free(&r->frame);
    av_packet_free(&r->packet);
    avcodec_free_context(&r->codec);
    if (r->format) avformat_close_input(&r->format);
    av_free(r);
}

struct glidn_video_writer {
    AVFormatContext *format;
    AVCodecContext *codec;
    AVStream *stream;
    struct SwsContext *scale;
    AVFrame *frame;
    AVPacket *packet;
    int width, height;  // of the RGB frames given (the encoded ones are rounded down to even)
    int64_t next;
};

static void writer_free(glidn_video_writer *w) {
    if (!w) return;
    sws_freeContext(w->scale);
    av_frame_free(&w->frame);
    av_packet_free(&w->packet);
    avcodec_free_context(&w->codec);
    if (w->format) {
        if (!(w->format->oformat->flags & AVFMT_NOFILE) && w->format->pb) avio_closep(&w->format->pb);
        avformat_free_context(w->format);
    }
    av_free(w);
}

// Sends a frame (NULL: the end) and writes every packet the encoder has ready.
static int encode(glidn_video_writer *w, AVFrame *frame, char *error, int errorLength) {
    int code = avcodec_send_frame(w->codec, frame);
    if (code < 0) {
        describe(error, errorLength, "cannot encode a frame", code);
        return -1;
    }
    for (;;) {
        code = avcodec_receive_packet(w->codec, w->packet);
        if (code == AVERROR(EAGAIN) || code == AVERROR_EOF) return 0;
        if (code < 0) {
            describe(error, errorLength, "cannot encode a frame", code);
            return -1;
        }
        // FFmpeg 5's libx264 wrapper leaves the duration 0; the MP4 muxer then ends the edit list
        // at the last packet's start and players (and FFmpeg) drop the last frame.
        if (w->packet->duration <= 0) w->packet->duration = 1;  // one frame, in the codec's time base
        av_packet_rescale_ts(w->packet, w->codec->time_base, w->stream->time_base);
        w->packet->stream_index = w->stream->index;
        code = av_interleaved_write_frame(w->format, w->packet);
        if (code < 0) {
            describe(error, errorLength, "cannot write the video", code);
            return -1;
        }
    }
}

int glidn_video_writer_open(const char *path, int width, int height, double framesPerSecond, glidn_video_writer **out,
                            char *encoderName, int encoderLength, char *error, int errorLength) {
    quiet();
    *out = NULL;
    if (width < 2 || height < 2 || width > 16384 || height > 16384 || !(framesPerSecond > 0 && framesPerSecond <= 1000)) {
        describe(error, errorLength, "frames must be 2 to 16384 pixels wide and high, at 0 to 1000 frames per second", 0);
        return -1;
    }
    glidn_video_writer *w = av_mallocz(sizeof *w);
    if (!w) { describe(error, errorLength, "out of memory", 0); return -1; }
    w->width = width;
    w->height = height;
    int code = avformat_alloc_output_context2(&w->format, NULL, "mp4", path);
    if (code < 0 || !w->format) {
        describe(error, errorLength, "cannot create an MP4", code);
        writer_free(w);
        return -1;
    }
    const AVCodec *encoder = avcodec_find_encoder_by_name("libx264");
    if (!encoder) encoder = avcodec_find_encoder(AV_CODEC_ID_MPEG4);
    if (!encoder) {
        describe(error, errorLength, "FFmpeg has no H.264 or MPEG-4 encoder", 0);
        writer_free(w);
        return -1;
    }
    if (encoderName && encoderLength > 0) snprintf(encoderName, (size_t)encoderLength, "%s", encoder->name);
    w->stream = avformat_new_stream(w->format, NULL);
    w->codec = avcodec_alloc_context3(encoder);
    w->frame = av_frame_alloc();
    w->packet = av_packet_alloc();
    if (!w->stream || !w->codec || !w->frame || !w->packet) {
        describe(error, errorLength, "out of memory", 0);
        writer_free(w);
        return -1;
    }
    AVRational rate = av_d2q(framesPerSecond, 100000);
    w->codec->width = width & ~1;
    w->codec->height = height & ~1;
    w->codec->pix_fmt = AV_PIX_FMT_YUV420P;
    w->codec->time_base = av_inv_q(rate);
    w->codec->framerate = rate;
    w->codec->gop_size = 12;
    w->codec->thread_count = 2;
    if (encoder->id == AV_CODEC_ID_MPEG4) {
        w->codec->bit_rate = 2000000;
    } else {
        av_opt_set(w->codec->priv_data, "preset", "veryfast", 0);
        av_opt_set(w->codec->priv_data, "crf", "23", 0);
    }
    if (w->format->oformat->flags & AVFMT_GLOBALHEADER) w->codec->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    code = avcodec_open2(w->codec, encoder, NULL);
    if (code < 0) {
        describe(error, errorLength, "cannot open the encoder", code);
        writer_free(w);
        return -1;
    }
    avcodec_parameters_from_context(w->stream->codecpar, w->codec);
    w->stream->time_base = w->codec->time_base;
    w->frame->format = w->codec->pix_fmt;
    w->frame->width = w->codec->width;
    w->frame->height = w->codec->height;
    if (av_frame_get_buffer(w->frame, 0) < 0) {
        describe(error, errorLength, "out of memory", 0);
        writer_free(w);
        return -1;
    }
    code = avio_open(&w->format->pb, path, AVIO_FLAG_WRITE);
    if (code < 0) {
        describe(error, errorLength, "cannot create the file", code);
        writer_free(w);
        return -1;
    }
    code = avformat_write_header(w->format, NULL);
    if (code < 0) {
        describe(error, errorLength, "cannot write the MP4 header", code);
        writer_free(w);
        return -1;
    }
    *out = w;
    return 0;
}

int glidn_video_writer_write(glidn_video_writer *w, const uint8_t *rgb, char *error, int errorLength) {
    if (av_frame_make_writable(w->frame) < 0) {
        describe(error, errorLength, "out of memory", 0);
        return -1;
    }
    w->scale = sws_getCachedContext(w->scale, w->codec->width, w->codec->height, AV_PIX_FMT_RGB24, w->codec->width,
                                    w->codec->height, AV_PIX_FMT_YUV420P, SWS_BILINEAR, NULL, NULL, NULL);
    if (!w->scale) {
        describe(error, errorLength, "cannot convert RGB to YUV", 0);
        return -1;
    }
    const uint8_t *planes[4] = {rgb, NULL, NULL, NULL};
    int strides[4] = {w->width * 3, 0, 0, 0};
    sws_scale(w->scale, planes, strides, 0, w->codec->height, w->frame->data, w->frame->linesize);
    w->frame->pts = w->next++;
    return encode(w, w->frame, error, errorLength);
}

int glidn_video_writer_close(glidn_video_writer *w, char *error, int errorLength) {
    int result = encode(w, NULL, error, errorLength);
    if (result == 0) {
        int code = av_write_trailer(w->format);
        if (code < 0) {
            describe(error, errorLength, "cannot finish the MP4", code);
            result = -1;
        }
    }
    writer_free(w);
    return result;
}

void glidn_video_versions(char *text, int length) {
    unsigned f = avformat_version(), c = avcodec_version(), s = swscale_version();
    snprintf(text, (size_t)length, "libavformat %u.%u.%u, libavcodec %u.%u.%u, libswscale %u.%u.%u", f >> 16, (f >> 8) & 255,
             f & 255, c >> 16, (c >> 8) & 255, c & 255, s >> 16, (s >> 8) & 255, s & 255);
}
