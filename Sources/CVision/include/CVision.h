#ifndef GLIDN_CVISION_H
#define GLIDN_CVISION_H

#include <stdint.h>

// OpenCV behind a C interface: the HOG people detector whose weights ship compiled into
// OpenCV, ONNX models through OpenCV's DNN module, and drawing and JPEG encoding for the
// pictures of a prediction. Images are packed RGB, 3 bytes per pixel, rows of width · 3 bytes.
// Errors fill `error` (NUL-terminated) and return a negative number; C++ exceptions never
// cross this interface.

#ifdef __cplusplus
extern "C" {
#endif

typedef struct glidn_hog glidn_hog;

glidn_hog *glidn_hog_create(void);
void glidn_hog_free(glidn_hog *hog);

/// People in `rgb`: up to `capacity` boxes as (x, y, width, height, score) in pixels, after
/// OpenCV's grouping of overlapping windows. `scale` is the pyramid step (OpenCV's 1.05; larger
/// is faster), `stride` the window stride in pixels (8), `threshold` the SVM margin (0).
/// Returns the number of boxes (at most `capacity`), or -1.
int glidn_hog_detect(glidn_hog *hog, const uint8_t *rgb, int width, int height, double scale, int stride, double threshold,
                     float *boxes, int capacity, char *error, int errorLength);

typedef struct glidn_dnn glidn_dnn;

/// Reads an ONNX model. Returns NULL with `error` when OpenCV cannot.
glidn_dnn *glidn_dnn_open(const char *path, char *error, int errorLength);
void glidn_dnn_free(glidn_dnn *net);

/// Runs the model on `rgb` resized to `inputWidth` × `inputHeight` (letterboxed: scaled to fit,
/// centred on grey 114, as YOLO exports expect, when `letterbox`; stretched otherwise), pixels
/// scaled to [0, 1], as NCHW RGB. The outputs stay with `net` until the next run.
/// Returns the number of outputs, or -1.
int glidn_dnn_run(glidn_dnn *net, const uint8_t *rgb, int width, int height, int inputWidth, int inputHeight, int letterbox,
                  char *error, int errorLength);

/// Output `index` of the last run: its number of dimensions (at most `maximumRank` written to
/// `shape`), and its values.
int glidn_dnn_output_shape(const glidn_dnn *net, int index, int *shape, int maximumRank);
const float *glidn_dnn_output_values(const glidn_dnn *net, int index);
/// The output's name as the model gives it.
const char *glidn_dnn_output_name(const glidn_dnn *net, int index);

/// Drawing on an RGB image in place (coordinates in pixels; colour as 0xRRGGBB).
void glidn_draw_rectangle(uint8_t *rgb, int width, int height, int x1, int y1, int x2, int y2, uint32_t colour, int thickness);
void glidn_draw_line(uint8_t *rgb, int width, int height, int x1, int y1, int x2, int y2, uint32_t colour, int thickness);
/// Text with a filled background box, its top-left corner at (x, y).
void glidn_draw_label(uint8_t *rgb, int width, int height, const char *text, int x, int y, double scale, uint32_t colour,
                      uint32_t background);
void glidn_draw_fill(uint8_t *rgb, int width, int height, int x1, int y1, int x2, int y2, uint32_t colour);

/// `rgb` resized to `outWidth` × `outHeight` into `out`.
void glidn_resize(const uint8_t *rgb, int width, int height, uint8_t *out, int outWidth, int outHeight);

/// JPEG of `rgb` at `quality` (0–100): the bytes through `*bytes` (free with glidn_free), their
/// count returned, or -1.
int glidn_encode_jpeg(const uint8_t *rgb, int width, int height, int quality, uint8_t **bytes, char *error, int errorLength);
void glidn_free(void *pointer);

/// OpenCV's version and the threads its loops use.
void glidn_vision_versions(char *text, int length);

#ifdef __cplusplus
}
#endif

#endif
