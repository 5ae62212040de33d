/// Walks the iteration space of a broadcast between two operands as runs along the
/// innermost axis, after merging axes that are laid out contiguously for both.
///
/// The output of the iteration is contiguous; each run starts at `out` in it, at
/// `a` and `b` in the operands, and steps the operands by `strideA` / `strideB`
/// (0 for a broadcast operand, 1 otherwise).
struct BroadcastLoop {
    private var sizes: [Int] = []
    private var stridesA: [Int] = []
    private var stridesB: [Int] = []

    init(shape: [Int], stridesA sa: [Int], stridesB sb: [Int]) {
        for axis in 0..<shape.count where shape[axis] != 1 {
            if let last = sizes.indices.last,
                stridesA[last] == sa[axis] * shape[axis], stridesB[last] == sb[axis] * shape[axis]
            {
                sizes[last] *= shape[axis]
                stridesA[last] = sa[axis]
                stridesB[last] = sb[axis]
            } else {
                sizes.append(shape[axis])
                stridesA.append(sa[axis])
                stridesB.append(sb[axis])
            }
        }
        if sizes.isEmpty {
            sizes = [1]
            stridesA = [0]
            stridesB = [0]
        }
    }

    @inline(__always)
    func forEachRun(_ body: (_ out: Int, _ a: Int, _ b: Int, _ n: Int, _ strideA: Int, _ strideB: Int) -> Void) {
        if sizes.contains(0) { return }
        let inner = sizes.count - 1
        let n = sizes[inner]
        if inner == 0 {
            body(0, 0, 0, n, stridesA[0], stridesB[0])
            return
        }
        var index = [Int](repeating: 0, count: inner)
        var offA = 0
        var offB = 0
        var out = 0
        while true {
            body(out, offA, offB, n, stridesA[inner], stridesB[inner])
            out += n
            var axis = inner - 1
            while axis >= 0 {
                index[axis] += 1
                offA += stridesA[axis]
                offB += stridesB[axis]
                if index[axis] < sizes[axis] { break }
                offA -= stridesA[axis] * sizes[axis]
                offB -= stridesB[axis] * sizes[axis]
                index[axis] = 0
                axis -= 1
            }
            if axis < 0 { return }
        }
    }
}
