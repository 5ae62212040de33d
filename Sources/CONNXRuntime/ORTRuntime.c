// ONNX Runtime's C API reached through its function table. The library exports one symbol,
// OrtGetApiBase; everything else is an entry of the OrtApi table it returns, at a position
// ONNX Runtime keeps fixed across releases (entries are only ever appended). The positions
// below are those of ORT_API_VERSION 13 (ONNX Runtime 1.13's onnxruntime_c_api.h); the table
// is requested at that version, which every later library still serves. Handles are opaque
// pointers here. `glidn_ort_check_api` and the tests check the table against the library.
#include "CONNXRuntime.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    kApiVersion = 13,
    // Positions in the OrtApi table.
    kCreateStatus = 0,
    kGetErrorCode = 1,
    kGetErrorMessage = 2,
    kCreateEnv = 3,
    kCreateSession = 7,
    kRun = 9,
    kCreateSessionOptions = 10,
    kSetSessionGraphOptimizationLevel = 23,
    kSetIntraOpNumThreads = 24,
    kSetInterOpNumThreads = 25,
    kSessionGetInputCount = 30,
    kSessionGetOutputCount = 31,
    kSessionGetInputTypeInfo = 33,
    kSessionGetInputName = 36,
    kSessionGetOutputName = 37,
    kCreateTensorWithDataAsOrtValue = 49,
    kGetTensorMutableData = 51,
    kCastTypeInfoToTensorInfo = 55,
    kGetTensorElementType = 60,
    kGetDimensionsCount = 61,
    kGetDimensions = 62,
    kGetTensorShapeElementCount = 64,
    kGetTensorTypeAndShape = 65,
    kCreateCpuMemoryInfo = 69,
    kAllocatorFree = 76,
    kGetAllocatorWithDefaultOptions = 78,
    kReleaseEnv = 92,
    kReleaseStatus = 93,
    kReleaseMemoryInfo = 94,
    kReleaseSession = 95,
    kReleaseValue = 96,
    kReleaseTypeInfo = 98,
    kReleaseTensorTypeAndShapeInfo = 99,
    kReleaseSessionOptions = 100,
};

// ONNX's element types (TensorProto.DataType) that outputs may have.
enum { kFloat = 1, kUInt8 = 2, kInt8 = 3, kInt32 = 6, kInt64 = 7, kBool = 9, kDouble = 11 };

typedef void *Status;  // NULL: success
typedef struct {
    const void *const *(*GetApi)(uint32_t version);
    const char *(*GetVersionString)(void);
} ApiBase;

static const void *const *api;  // the function table
static void *env;
static char loadedVersion[64];
static char loadError[512];
static int loadResult = 1;  // 1: not tried
static pthread_mutex_t loadLock = PTHREAD_MUTEX_INITIALIZER;

#define ORT(index, type) ((type)api[index])

static void say(char *error, int length, const char *text) {
    if (error && length > 0) snprintf(error, (size_t)length, "%s", text);
}

// Copies the status's message into `error` (prefixed by `what`) and frees it; returns -1.
static int fail(Status status, const char *what, char *error, int length) {
    const char *message = ORT(kGetErrorMessage, const char *(*)(const void *))(status);
    if (error && length > 0) snprintf(error, (size_t)length, "%s: %s", what, message ? message : "unknown error");
    ORT(kReleaseStatus, void (*)(void *))(status);
    return -1;
}

int glidn_ort_load(const char *path, char *version, int versionLength, char *error, int errorLength) {
    pthread_mutex_lock(&loadLock);
    if (loadResult == 1) {
        void *library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        if (!library) {
            snprintf(loadError, sizeof loadError, "cannot load %s: %s", path, dlerror());
            loadResult = -1;
        } else {
            const ApiBase *(*getBase)(void) = (const ApiBase *(*)(void))dlsym(library, "OrtGetApiBase");
            const ApiBase *base = getBase ? getBase() : NULL;
            api = base ? base->GetApi(kApiVersion) : NULL;
            if (!api) {
                snprintf(loadError, sizeof loadError, "%s is not an ONNX Runtime library serving C API version %d", path,
                         kApiVersion);
                loadResult = -1;
            } else {
                snprintf(loadedVersion, sizeof loadedVersion, "%s", base->GetVersionString());
                // Level 4 (fatal): ONNX Runtime's warnings would go to standard error; failures come
                // back as statuses instead.
                Status status = ORT(kCreateEnv, Status (*)(int, const char *, void **))(4, "glidn", &env);
                if (status) {
                    fail(status, "cannot create ONNX Runtime's environment", loadError, sizeof loadError);
                    loadResult = -1;
                } else {
                    loadResult = 0;
                }
            }
        }
    }
    int result = loadResult;
    if (result == 0 && version && versionLength > 0) snprintf(version, (size_t)versionLength, "%s", loadedVersion);
    if (result != 0) say(error, errorLength, loadError);
    pthread_mutex_unlock(&loadLock);
    return result;
}

int glidn_ort_check_api(void) {
    if (loadResult != 0) return -1;
    Status status = ORT(kCreateStatus, Status (*)(int, const char *))(2, "glidn check");
    if (!status) return -1;
    int code = ORT(kGetErrorCode, int (*)(const void *))(status);
    const char *message = ORT(kGetErrorMessage, const char *(*)(const void *))(status);
    int ok = code == 2 && message && strcmp(message, "glidn check") == 0;
    ORT(kReleaseStatus, void (*)(void *))(status);
    return ok ? 0 : -1;
}

struct glidn_ort_model {
    void *session;
    void *memory;  // CPU memory info, for input tensors
    char *inputName;
    int outputCount;
    char **outputNames;
    int inputRank;
    int64_t inputShape[8];
    int inputIsFloat;
};

void glidn_ort_close(glidn_ort_model *m) {
    if (!m) return;
    if (m->session) ORT(kReleaseSession, void (*)(void *))(m->session);
    if (m->memory) ORT(kReleaseMemoryInfo, void (*)(void *))(m->memory);
    free(m->inputName);
    for (int i = 0; i < m->outputCount; i++) free(m->outputNames ? m->outputNames[i] : NULL);
    free(m->outputNames);
    free(m);
}

// A name ONNX Runtime allocated, copied with malloc and freed with its allocator.
static char *take_name(void *allocator, char *name) {
    char *copy = strdup(name ? name : "");
    ORT(kAllocatorFree, Status (*)(void *, void *))(allocator, name);
    return copy;
}

glidn_ort_model *glidn_ort_open(const char *path, int threads, char *error, int errorLength) {
    if (loadResult != 0) {
        say(error, errorLength, "ONNX Runtime is not loaded");
        return NULL;
    }
    glidn_ort_model *m = calloc(1, sizeof *m);
    if (!m) {
        say(error, errorLength, "out of memory");
        return NULL;
    }
    void *options = NULL;
    Status s = ORT(kCreateSessionOptions, Status (*)(void **))(&options);
    if (s) {
        fail(s, "cannot create session options", error, errorLength);
        free(m);
        return NULL;
    }
    Status (*setThreads)(void *, int) = ORT(kSetIntraOpNumThreads, Status (*)(void *, int));
    Status (*setInter)(void *, int) = ORT(kSetInterOpNumThreads, Status (*)(void *, int));
    Status (*setLevel)(void *, int) = ORT(kSetSessionGraphOptimizationLevel, Status (*)(void *, int));
    Status settings[3] = {setThreads(options, threads > 0 ? threads : 1), setInter(options, 1), setLevel(options, 99)};
    for (int i = 0; i < 3; i++) {
        if (settings[i]) ORT(kReleaseStatus, void (*)(void *))(settings[i]);
    }
    s = ORT(kCreateSession, Status (*)(const void *, const char *, const void *, void **))(env, path, options, &m->session);
    ORT(kReleaseSessionOptions, void (*)(void *))(options);
    if (s) {
        fail(s, "ONNX Runtime cannot load it", error, errorLength);
        glidn_ort_close(m);
        return NULL;
    }
    s = ORT(kCreateCpuMemoryInfo, Status (*)(int, int, void **))(0, 0, &m->memory);
    if (s) {
        fail(s, "cannot describe CPU memory", error, errorLength);
        glidn_ort_close(m);
        return NULL;
    }
    size_t inputs = 0, outputs = 0;
    s = ORT(kSessionGetInputCount, Status (*)(const void *, size_t *))(m->session, &inputs);
    if (!s) s = ORT(kSessionGetOutputCount, Status (*)(const void *, size_t *))(m->session, &outputs);
    if (s) {
        fail(s, "cannot read its inputs and outputs", error, errorLength);
        glidn_ort_close(m);
        return NULL;
    }
    if (inputs != 1 || outputs < 1 || outputs > 16) {
        char text[160];
        snprintf(text, sizeof text, "it has %zu inputs and %zu outputs; a detector has one input (the image) and 1 to 16 outputs",
                 inputs, outputs);
        say(error, errorLength, text);
        glidn_ort_close(m);
        return NULL;
    }
    void *allocator = NULL;
    s = ORT(kGetAllocatorWithDefaultOptions, Status (*)(void **))(&allocator);
    if (s) {
        fail(s, "cannot get ONNX Runtime's allocator", error, errorLength);
        glidn_ort_close(m);
        return NULL;
    }
    Status (*inputName)(const void *, size_t, void *, char **) =
        ORT(kSessionGetInputName, Status (*)(const void *, size_t, void *, char **));
    Status (*outputName)(const void *, size_t, void *, char **) =
        ORT(kSessionGetOutputName, Status (*)(const void *, size_t, void *, char **));
    char *name = NULL;
    s = inputName(m->session, 0, allocator, &name);
    if (s) {
        fail(s, "cannot read its input's name", error, errorLength);
        glidn_ort_close(m);
        return NULL;
    }
    m->inputName = take_name(allocator, name);
    m->outputNames = calloc(outputs, sizeof *m->outputNames);
    m->outputCount = (int)outputs;
    for (size_t i = 0; i < outputs; i++) {
        s = outputName(m->session, i, allocator, &name);
        if (s) {
            fail(s, "cannot read an output's name", error, errorLength);
            glidn_ort_close(m);
            return NULL;
        }
        m->outputNames[i] = take_name(allocator, name);
    }
    // The input's element type and shape.
    void *typeInfo = NULL;
    s = ORT(kSessionGetInputTypeInfo, Status (*)(const void *, size_t, void **))(m->session, 0, &typeInfo);
    if (s) {
        fail(s, "cannot read its input's type", error, errorLength);
        glidn_ort_close(m);
        return NULL;
    }
    const void *tensorInfo = NULL;
    s = ORT(kCastTypeInfoToTensorInfo, Status (*)(const void *, const void **))(typeInfo, &tensorInfo);
    if (!s && tensorInfo) {
        int type = 0;
        size_t rank = 0;
        s = ORT(kGetTensorElementType, Status (*)(const void *, int *))(tensorInfo, &type);
        if (!s) s = ORT(kGetDimensionsCount, Status (*)(const void *, size_t *))(tensorInfo, &rank);
        if (!s && rank <= 8) {
            s = ORT(kGetDimensions, Status (*)(const void *, int64_t *, size_t))(tensorInfo, m->inputShape, rank);
            m->inputRank = (int)rank;
            m->inputIsFloat = type == kFloat;
        }
    }
    ORT(kReleaseTypeInfo, void (*)(void *))(typeInfo);
    if (s) {
        fail(s, "cannot read its input's shape", error, errorLength);
        glidn_ort_close(m);
        return NULL;
    }
    return m;
}

int glidn_ort_input_shape(const glidn_ort_model *m, int64_t *shape, int maximumRank) {
    if (!m->inputIsFloat) return -1;
    for (int i = 0; i < m->inputRank && i < maximumRank; i++) shape[i] = m->inputShape[i];
    return m->inputRank;
}

int glidn_ort_output_count(const glidn_ort_model *m) { return m->outputCount; }

const char *glidn_ort_output_name(const glidn_ort_model *m, int index) {
    return index >= 0 && index < m->outputCount ? m->outputNames[index] : "";
}

struct glidn_ort_result {
    int count;
    int ranks[16];
    int64_t shapes[16][8];
    int64_t counts[16];
    float *values[16];
};

void glidn_ort_result_free(glidn_ort_result *r) {
    if (!r) return;
    for (int i = 0; i < r->count; i++) free(r->values[i]);
    free(r);
}

// Copies output `value` into result slot `i` as floats.
static int take_output(glidn_ort_result *r, int i, void *value, char *error, int errorLength) {
    void *info = NULL;
    Status s = ORT(kGetTensorTypeAndShape, Status (*)(const void *, void **))(value, &info);
    if (s) return fail(s, "an output is not a tensor", error, errorLength);
    int type = 0;
    size_t rank = 0, count = 0;
    s = ORT(kGetTensorElementType, Status (*)(const void *, int *))(info, &type);
    if (!s) s = ORT(kGetDimensionsCount, Status (*)(const void *, size_t *))(info, &rank);
    if (!s && rank > 8) {
        ORT(kReleaseTensorTypeAndShapeInfo, void (*)(void *))(info);
        say(error, errorLength, "an output has more than 8 dimensions");
        return -1;
    }
    if (!s) s = ORT(kGetDimensions, Status (*)(const void *, int64_t *, size_t))(info, r->shapes[i], rank);
    if (!s) s = ORT(kGetTensorShapeElementCount, Status (*)(const void *, size_t *))(info, &count);
    ORT(kReleaseTensorTypeAndShapeInfo, void (*)(void *))(info);
    if (s) return fail(s, "cannot read an output's shape", error, errorLength);
    void *data = NULL;
    s = ORT(kGetTensorMutableData, Status (*)(void *, void **))(value, &data);
    if (s) return fail(s, "cannot read an output's values", error, errorLength);
    float *out = malloc((count > 0 ? count : 1) * sizeof(float));
    if (!out) {
        say(error, errorLength, "out of memory");
        return -1;
    }
    for (size_t k = 0; k < count; k++) {
        switch (type) {
        case kFloat: out[k] = ((const float *)data)[k]; break;
        case kDouble: out[k] = (float)((const double *)data)[k]; break;
        case kInt64: out[k] = (float)((const int64_t *)data)[k]; break;
        case kInt32: out[k] = (float)((const int32_t *)data)[k]; break;
        case kUInt8: case kBool: out[k] = (float)((const uint8_t *)data)[k]; break;
        case kInt8: out[k] = (float)((const int8_t *)data)[k]; break;
        default:
            free(out);
            say(error, errorLength, "an output is neither float nor integer");
            return -1;
        }
    }
    r->ranks[i] = (int)rank;
    r->counts[i] = (int64_t)count;
    r->values[i] = out;
    return 0;
}

glidn_ort_result *glidn_ort_run(glidn_ort_model *m, const float *values, const int64_t *shape, int rank, char *error,
                                int errorLength) {
    size_t count = 1;
    for (int i = 0; i < rank; i++) count *= (size_t)shape[i];
    void *input = NULL;
    Status s = ORT(kCreateTensorWithDataAsOrtValue,
                   Status (*)(const void *, void *, size_t, const int64_t *, size_t, int, void **))(
        m->memory, (void *)values, count * sizeof(float), shape, (size_t)rank, kFloat, &input);
    if (s) {
        fail(s, "cannot make the input tensor", error, errorLength);
        return NULL;
    }
    void *outputs[16] = {0};
    const char *inputNames[1] = {m->inputName};
    const void *inputs[1] = {input};
    s = ORT(kRun, Status (*)(void *, const void *, const char *const *, const void *const *, size_t, const char *const *,
                             size_t, void **))(m->session, NULL, inputNames, inputs, 1, (const char *const *)m->outputNames,
                                              (size_t)m->outputCount, outputs);
    ORT(kReleaseValue, void (*)(void *))(input);
    if (s) {
        fail(s, "the model failed to run", error, errorLength);
        return NULL;
    }
    glidn_ort_result *r = calloc(1, sizeof *r);
    int ok = r != NULL;
    if (!ok) say(error, errorLength, "out of memory");
    for (int i = 0; i < m->outputCount; i++) {
        if (ok && take_output(r, i, outputs[i], error, errorLength) == 0) {
            r->count = i + 1;
        } else {
            ok = 0;
        }
        ORT(kReleaseValue, void (*)(void *))(outputs[i]);
    }
    if (!ok) {
        glidn_ort_result_free(r);
        return NULL;
    }
    return r;
}

int glidn_ort_result_rank(const glidn_ort_result *r, int index) {
    return index >= 0 && index < r->count ? r->ranks[index] : 0;
}

void glidn_ort_result_shape(const glidn_ort_result *r, int index, int64_t *shape) {
    if (index < 0 || index >= r->count) return;
    for (int i = 0; i < r->ranks[index]; i++) shape[i] = r->shapes[index][i];
}

const float *glidn_ort_result_values(const glidn_ort_result *r, int index) {
    return index >= 0 && index < r->count ? r->values[index] : NULL;
}

int64_t glidn_ort_result_count(const glidn_ort_result *r, int index) {
    return index >= 0 && index < r->count ? r->counts[index] : 0;
}
