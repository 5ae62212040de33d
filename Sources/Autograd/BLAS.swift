#if canImport(Accelerate)
import Accelerate
#else
import CBLAS
#endif

/// The one door to the BLAS library: every matrix product in the package goes through `gemm`.
///
/// Large products are split into row (or column) blocks computed on `Parallel`'s
/// workers, each by a single-threaded BLAS call. This keeps one pool of threads for
/// the whole package: OpenBLAS's own threads spin while waiting for work and would
/// steal the cores that the other kernels need between products.
public enum BLAS {
    /// Products below this many multiply-adds run on one thread.
    static let parallelThreshold = 1 << 18

    private static let singleThreaded: Void = {
        #if !canImport(Accelerate)
        openblas_set_num_threads(1)
        #endif
    }()

    /// C = alpha · op(A) · op(B) + beta · C for row-major matrices, where op(A) is
    /// m × k, op(B) is k × n and C is m × n; `lda`, `ldb`, `ldc` are row strides.
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            // BLAS implementations disagree on k = 0; the answer is beta · C.
            for i in 0..<m {
                for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] }
            }
            return
        }
        _ = singleThreaded
        let work = m * n * k
        if work < parallelThreshold || Parallel.workers == 1 {
            call(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            return
        }
        let (cA, cB, cC) = (UnsafeSendable(a), UnsafeSendable(b), UnsafeSendable(c))
        if m >= n {
            // Blocks of rows of C: rows of op(A).
            Parallel.forEachChunk(count: m, minimumChunk: 16) { rows in
                let aBlock = transA ? cA.value + rows.lowerBound : cA.value + rows.lowerBound * lda
                call(transA, transB, rows.count, n, k, alpha, aBlock, lda, cB.value, ldb, beta,
                     cC.value + rows.lowerBound * ldc, ldc)
            }
        } else {
            // Blocks of columns of C: columns of op(B).
            Parallel.forEachChunk(count: n, minimumChunk: 16) { cols in
                let bBlock = transB ? cB.value + cols.lowerBound * ldb : cB.value + cols.lowerBound
                call(transA, transB, m, cols.count, k, alpha, cA.value, lda, bBlock, ldb, beta,
                     cC.value + cols.lowerBound, ldc)
            }
        }
    }

    @inline(__always)
    private static func call(
        _ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
        _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
        _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
