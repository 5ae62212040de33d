// ONNX Runtime's C API, loaded at run time from the onnxruntime wheel's library (PyPI), which
// ships without a header: this interface declares what GLIDN calls (ORTRuntime.c maps it onto
// the library's function table) and nothing of ONNX Runtime's own types leaks out of it.
#ifndef GLIDN_CONNXRUNTIME_H
#define GLIDN_CONNXRUNTIME_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Loads the library at `path` (once per process; later calls return the first result).
/// Writes its version ("1.32.0") to `version`. 0 on success, else -1 and `error` says why.
int glidn_ort_load(const char *path, char *version, int versionLength, char *error, int errorLength);

/// A model ready to run: its session, input and output names. Runs may overlap in time.
typedef struct glidn_ort_model glidn_ort_model;

/// The result of one run: every output as floats (float, double and integer outputs converted).
typedef struct glidn_ort_result glidn_ort_result;

/// Opens `path` with `threads` threads per run. NULL on failure, with `error` set.
glidn_ort_model *glidn_ort_open(const char *path, int threads, char *error, int errorLength);
void glidn_ort_close(glidn_ort_model *model);

/// The first input's shape (-1 for a dimension the model leaves open); returns its rank, or -1
/// if it is not a float tensor.
int glidn_ort_input_shape(const glidn_ort_model *model, int64_t *shape, int maximumRank);
int glidn_ort_output_count(const glidn_ort_model *model);
const char *glidn_ort_output_name(const glidn_ort_model *model, int index);

/// Runs the model on `values` (float32, of `shape`). NULL on failure, with `error` set.
glidn_ort_result *glidn_ort_run(glidn_ort_model *model, const float *values, const int64_t *shape, int rank,
                                char *error, int errorLength);
int glidn_ort_result_rank(const glidn_ort_result *result, int index);
/// The output's dimensions; `shape` holds at least its rank.
void glidn_ort_result_shape(const glidn_ort_result *result, int index, int64_t *shape);
const float *glidn_ort_result_values(const glidn_ort_result *result, int index);
int64_t glidn_ort_result_count(const glidn_ort_result *result, int index);
void glidn_ort_result_free(glidn_ort_result *result);

/// A self-check of the function table: creates a status with a message through the library and
/// reads code and message back. 0 if they round-trip.
int glidn_ort_check_api(void);

#ifdef __cplusplus
}
#endif

#endif
