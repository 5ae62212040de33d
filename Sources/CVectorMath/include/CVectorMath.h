// Elementwise vector operations that Swift's standard library would leave to libm one lane
// at a time, and which vector instructions the build targets. `Float.squareRoot()` (and so `SIMD16<Float>.squareRoot()`) lowers to the C
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

/// The widest vector instructions this translation unit is compiled for, as `VectorLevel`'s raw
/// values (0 none, 1 SSE or NEON, 2 AVX, 3 AVX2 with FMA, 4 AVX-512 F/BW/VL). Imported into a
/// Swift module, it answers for the flags that module was compiled with.
static inline int glidn_compiled_vector_level(void) {
#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512VL__)
    return 4;
#elif defined(__AVX2__) && defined(__FMA__)
    return 3;
#elif defined(__AVX__)
    return 2;
#elif defined(__SSE2__) || defined(__ARM_NEON)
    return 1;
#else
    return 0;
#endif
}

#endif
