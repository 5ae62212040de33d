import Dispatch
import Foundation

/// The one door to the BLAS library: every matrix product in the package goes through `gemm`.
///
/// Large products are split into row (or column) blocks computed on `Parallel`'s
/// workers, each by a single-threaded call of the BLAS library (`BLASLibrary`). This keeps
/// one pool of threads for the whole package: a library's own threads spin while waiting
/// for work and would steal the cores that the other kernels need between products.
public enum BLAS {
    /// Products below this many multiply-adds run on one thread.
    static let parallelThreshold = 1 << 18

    /// The library, loaded once.
    public static let library = BLASLibrary.current

    /// C = alpha · op(A) · op(B) + beta · C for row-major matrices, where op(A) is
    /// m × k, op(B) is k × n and C is m × n; `lda`, `ldb`, `ldc` are row strides.
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if m == 0 || n == 0 { return }
        GemmRecorder.current?.record(GemmRecorder.Call(transA: transA, transB: transB, m: m, n: n, k: k))
        if k == 0 {
            // BLAS implementations disagree on k = 0; the answer is beta · C.
            for i in 0..<m {
                for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] }
            }
            return
        }
        let work = m * n * k
        if work < parallelThreshold {
            call(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            return
        }
        // The blocks are of fixed sizes, whatever the number of workers (which only decides
        // who computes which): OpenBLAS's result for a block can depend on the block's size,
        // so this keeps every product bit for bit the same with any GLIDN_THREADS.
        let (cA, cB, cC) = (UnsafeSendable(a), UnsafeSendable(b), UnsafeSendable(c))
        if k >= 4 * max(m, n) {
            reductionSplit(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        } else if m >= n {
            // Blocks of rows of C: rows of op(A).
            Parallel.forEachFixedChunk(count: m, chunkSize: blockSize(m, minimum: blockRows)) { _, rows in
                let aBlock = transA ? cA.value + rows.lowerBound : cA.value + rows.lowerBound * lda
                call(
                    transA, transB, rows.count, n, k, alpha, aBlock, lda, cB.value, ldb, beta,
                    cC.value + rows.lowerBound * ldc, ldc)
            }
        } else {
            // Blocks of columns of C: columns of op(B).
            Parallel.forEachFixedChunk(count: n, chunkSize: blockSize(n, minimum: blockColumns)) { _, cols in
                let bBlock = transB ? cB.value + cols.lowerBound * ldb : cB.value + cols.lowerBound
                call(
                    transA, transB, m, cols.count, k, alpha, cA.value, lda, bBlock, ldb, beta,
                    cC.value + cols.lowerBound, ldc)
            }
        }
    }

    /// The fewest rows of C in one block of a product split by rows.
    public static let blockRows = 256
    /// The fewest columns of C in one block of a product split by columns, which happens only
    /// when C has fewer rows than columns: each block then packs again only the small
    /// operand, so blocks can be far narrower than `blockRows`. At 64, the products of the
    /// `cad120` global graph (96 rows × 128 or 256 columns, single-threaded at 256) are
    /// shared by two cores: about 4 % of a `cad120` step in thirty alternating runs, with the
    /// same results to the last bit (docs/STUDIES.md, "Narrow products on two cores"). Rows
    /// stay at 256: oneDNN chooses its kernels by a block's rows, and smaller row blocks
    /// changed the results' last bits.
    public static let blockColumns = 64
    /// The shortest inner dimension of one part of a product split along k.
    public static let reductionBlock = 1024
    /// A split product has at most this many blocks: each block packs the other operand
    /// again, so more, smaller blocks cost memory traffic (a 4096-row product of the
    /// `charades` encoder in 16 blocks packed its 2 MB weight 16 times). Two blocks keep two
    /// cores busy; more cores than that share the attention passes, not these products.
    public static let maximumBlocks = 2

    /// The size of each block when `count` rows are split: at least `minimum`, at most
    /// `maximumBlocks` blocks. A function of the shape alone, never of the worker count.
    public static func blockSize(_ count: Int, minimum: Int) -> Int {
        max(minimum, (count + maximumBlocks - 1) / maximumBlocks)
    }

    /// One BLAS call on the calling thread, not recorded: for kernels that split a product
    /// over the workers themselves, inside their own parallel region (each worker then
    /// multiplies the rows its chunk owns, right where it uses them). Rows of C do not depend
    /// on how the rows are split, so this gives the same bits as `gemm`'s own row split.
    /// Such kernels record the whole product once with `recordProduct`.
    public static func gemmOnThisThread(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        precondition(k > 0, "gemmOnThisThread: k must be positive")
        if m == 0 || n == 0 { return }
        call(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }

    /// Notes a product computed piecewise through `gemmOnThisThread` (for the benchmark's floor).
    public static func recordProduct(transA: Bool, transB: Bool, m: Int, n: Int, k: Int) {
        GemmRecorder.current?.record(GemmRecorder.Call(transA: transA, transB: transB, m: m, n: n, k: k))
    }

    /// A product whose inner dimension dominates (a weight gradient: dZᵀ · X over all the
    /// nodes) split along k into parts of at least `reductionBlock` (`blockSize`): each worker multiplies its parts'
    /// rows of both operands, mostly rows it wrote itself in the kernels before, into partial
    /// Cs; the partials are then added in part order. Splitting C's rows instead would make each core read
    /// every row of both operands, half of them out of the other core's cache (measured on
    /// 1920 × 128 operands just written by both cores: 349 µs against 287 µs).
    private static func reductionSplit(
        _ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
        _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
        _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) {
        let block = blockSize(k, minimum: reductionBlock)
        let parts = max(1, (k + block - 1) / block)
        // Part 0 goes straight into C (with the caller's β); the others into scratch.
        let scratch = BufferPool.shared.take(count: max(parts - 1, 1) * m * n)
        defer { BufferPool.shared.give(scratch, count: max(parts - 1, 1) * m * n) }
        let (cA, cB, cC, cS) = (UnsafeSendable(a), UnsafeSendable(b), UnsafeSendable(c), UnsafeSendable(scratch))
        Parallel.forEachFixedChunk(count: k, chunkSize: block) { part, inner in
            // Rows `inner` of op(A)ᵀ and of op(B): columns of A when A is not transposed.
            let aBlock = transA ? cA.value + inner.lowerBound * lda : cA.value + inner.lowerBound
            let bBlock = transB ? cB.value + inner.lowerBound : cB.value + inner.lowerBound * ldb
            if part == 0 {
                call(transA, transB, m, n, inner.count, alpha, aBlock, lda, bBlock, ldb, beta, cC.value, ldc)
            } else {
                call(
                    transA, transB, m, n, inner.count, alpha, aBlock, lda, bBlock, ldb, 0,
                    cS.value + (part - 1) * m * n, n)
            }
        }
        // The partials are added in part order, rows shared out over the workers: each element
        // is the same sum whatever the number of workers.
        guard parts > 1 else { return }
        Parallel.forEachFixedChunk(count: m, chunkSize: max(1, (m + maximumBlocks - 1) / maximumBlocks)) { _, rows in
            for part in 1..<parts {
                let partial = cS.value + (part - 1) * m * n
                for i in rows {
                    let (row, add) = (cC.value + i * ldc, partial + i * n)
                    for j in 0..<n { row[j] += add[j] }
                }
            }
        }
    }

    @inline(__always)
    private static func call(
        _ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
        _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
        _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) {
        library.sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }
}

/// Records the shapes of the matrix products made while it is installed, so that a
/// benchmark can time the same products alone (the arithmetic floor of a step).
public final class GemmRecorder: @unchecked Sendable {
    public struct Call: Hashable, Sendable {
        public let transA, transB: Bool
        public let m, n, k: Int
        public var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
    }

    nonisolated(unsafe) static var current: GemmRecorder?
    private let lock = NSLock()
    public private(set) var calls: [Call] = []

    public init() {}

    func record(_ call: Call) {
        lock.lock()
        calls.append(call)
        lock.unlock()
    }

    /// Records the products made by `body`.
    public static func recording<R>(_ body: () throws -> R) rethrows -> (R, [Call]) {
        let recorder = GemmRecorder()
        current = recorder
        defer { current = nil }
        let result = try body()
        return (result, recorder.calls)
    }

    /// Milliseconds that `call` takes through `BLAS.gemm` on scratch matrices (best of `repeats`).
    public static func time(_ call: Call, repeats: Int = 10) -> Double {
        let a = [Float](repeating: 0.5, count: call.m * call.k)
        let b = [Float](repeating: 0.25, count: call.k * call.n)
        var c = [Float](repeating: 0, count: call.m * call.n)
        var best = Double.infinity
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    for _ in 0..<(repeats + 1) {
                        let start = DispatchTime.now().uptimeNanoseconds
                        BLAS.gemm(
                            transA: call.transA, transB: call.transB, m: call.m, n: call.n, k: call.k,
                            a: pa.baseAddress!, lda: call.transA ? call.m : call.k,
                            b: pb.baseAddress!, ldb: call.transB ? call.k : call.n,
                            c: pc.baseAddress!, ldc: call.n)
                        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                    }
                }
            }
        }
        return best
    }
}
