import Autograd

/// Runs an op as its fused kernel and as its plain composition (`KernelMode`), and reports
/// how far apart the two are: outputs, the gradients of every input, and whether the two
/// runs recorded different ops at all (so that a comparison cannot pass by running the same
/// code twice).
public enum FusedVersusPlain {
    public struct Comparison {
        /// Largest |fused - plain| of the output and of each input's gradient, relative to
        /// max(1, largest |plain| of that tensor).
        public let output: Float
        public let gradients: [Float]
        /// The op sites the tape recorded in each mode.
        public let fusedOps: Set<String>
        public let plainOps: Set<String>

        public var worst: Float { ([output] + gradients).max() ?? 0 }
        public var ranDifferentCode: Bool { fusedOps != plainOps }
    }

    public static func compare(_ inputs: [Tensor], seed: UInt64 = 9, _ f: ([Tensor]) -> Tensor) -> Comparison {
        func run(_ mode: KernelMode) -> (Tensor, [Tensor], Set<String>) {
            let leaves = inputs.map { $0.requiringGrad() }
            let (out, ops) = KernelMode.with(mode) { OpProfiler.profiling { f(leaves) } }
            var generator = SeededGenerator(seed: seed)
            (out * Tensor.randomNormal(out.shape, generator: &generator)).sum().backward()
            return (
                out, leaves.map { $0.grad ?? Tensor.zeros($0.shape) },
                Set(ops.map { "\($0.site.file) \($0.site.function)" })
            )
        }
        let (a, ga, fusedOps) = run(.fused)
        let (b, gb, plainOps) = run(.plain)
        func relative(_ x: Tensor, _ y: Tensor) -> Float {
            guard x.shape == y.shape else { return .infinity }
            return x.maxAbsDifference(y) / Swift.max(1, y.values.map(abs).max() ?? 0)
        }
        return Comparison(
            output: relative(a, b), gradients: zip(ga, gb).map(relative), fusedOps: fusedOps, plainOps: plainOps)
    }
}
