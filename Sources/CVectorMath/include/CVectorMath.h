// Elementwise vector operations that Swift's standard library would leave to libm one lane
// at a time. `Float.squareRoot()` (and so `SIMD16<Float>.squareRoot()`) lowers to the C
// library's sqrtf, which may set errno: the compiler must keep a call per lane, and every
// call spills the vector registers around it. The builtin below has no errno: it becomes
// one vector square root (vsqrtps on AVX-512, four sqrtps on SSE), correctly rounded as the
// scalar one is, so results are bit-identical.
#ifndef CVECTORMATH_H
#define CVECTORMATH_H

typedef float glidn_float16 __attribute__((ext_vector_type(16)));

static inline __attribute__((always_inline)) glidn_float16 glidn_square_root16(glidn_float16 x) {
#if __has_builtin(__builtin_elementwise_sqrt)
    return __builtin_elementwise_sqrt(x);
#else
    glidn_float16 r;
    for (int i = 0; i < 16; i++) r[i] = __builtin_sqrtf(x[i]);
    return r;
#endif
}

#endif
