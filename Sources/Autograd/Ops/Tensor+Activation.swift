import Foundation

/// Pointwise nonlinearities and functions with their derivatives.
extension Tensor {
    /// Records a pointwise op whose derivative is a function of input and output (named, for
    /// the profiler, after the function that calls this one).
    @inline(__always)
    func pointwise(
        _ f: (Float) -> Float, derivative: @escaping (_ x: Float, _ y: Float) -> Float,
        function: StaticString = #function
    ) -> Tensor {
        let value = map(f)
        let input = detached()
        return Tensor.record(value, inputs: [self], function: function) { g in
            [Tensor.zipMap(g, input, value) { g, x, y in g * derivative(x, y) }]
        }
    }

    public func relu() -> Tensor {
        pointwise({ Swift.max($0, 0) }, derivative: { x, _ in x > 0 ? 1 : 0 })
    }

    /// ELU with α = 1: x for x > 0, exp(x) - 1 otherwise.
    public func elu() -> Tensor {
        pointwise({ $0 > 0 ? $0 : expm1($0) }, derivative: { x, y in x > 0 ? 1 : y + 1 })
    }

    public func leakyRelu(slope: Float = 0.01) -> Tensor {
        pointwise({ $0 > 0 ? $0 : slope * $0 }, derivative: { x, _ in x > 0 ? 1 : slope })
    }

    public func sigmoid() -> Tensor {
        pointwise(Tensor.sigmoid, derivative: { _, y in y * (1 - y) })
    }

    /// log(sigmoid(x)), stable for large |x|.
    public func logSigmoid() -> Tensor {
        pointwise(Tensor.logSigmoid, derivative: { x, _ in Tensor.sigmoid(-x) })
    }

    public func exp() -> Tensor {
        pointwise(Foundation.exp, derivative: { _, y in y })
    }

    public func log() -> Tensor {
        pointwise(Foundation.log, derivative: { x, _ in 1 / x })
    }

    public func sqrt() -> Tensor {
        pointwise(Foundation.sqrt, derivative: { _, y in 0.5 / y })
    }

    public func square() -> Tensor {
        pointwise({ $0 * $0 }, derivative: { x, _ in 2 * x })
    }

    /// Limits every element to [low, high]; the gradient passes where the input was inside.
    public func clamped(min low: Float = -.infinity, max high: Float = .infinity) -> Tensor {
        pointwise({ Swift.min(Swift.max($0, low), high) }, derivative: { x, _ in x >= low && x <= high ? 1 : 0 })
    }

    /// log(sigmoid(x)) of one value, stable for large |x|.
    @inline(__always)
    public static func logSigmoid(_ x: Float) -> Float {
        Swift.min(x, 0) - log1p(Foundation.exp(-abs(x)))
    }

    @inline(__always)
    public static func sigmoid(_ x: Float) -> Float {
        // Both branches avoid exp overflow.
        if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
        let e = Foundation.exp(x)
        return e / (1 + e)
    }
}

extension Tensor {
    /// ReLU(x) · mask over rows: x [..., D], mask the shape of x without D (a node mask).
    /// One op for what `relu()` then a broadcast product would record as two, and the same
    /// gradient: g · mask where x > 0, else 0.
    public func reluMasked(rows mask: Tensor) -> Tensor {
        if KernelMode.usesPlainOps { return composedReluMasked(rows: mask) }
        require(
            rank >= 1 && mask.shape == Array(shape.dropLast()),
            "reluMasked: mask \(Shape.describe(mask.shape)) must be the shape of \(Shape.describe(shape)) without its last axis"
        )
        let d = shape[rank - 1]
        let weights = mask.detached()
        // Row pointers and wrapping index arithmetic (within the shapes checked above) so
        // that the inner loops vectorise.
        let value = Tensor(shape: shape) { out in
            withUnsafeBufferPointer { x in
                weights.withUnsafeBufferPointer { m in
                    for r in 0..<m.count {
                        let (o, xr, w) = (out.baseAddress! + r &* d, x.baseAddress! + r &* d, m[r])
                        for c in 0..<d { o[c] = Swift.max(xr[c], 0) * w }
                    }
                }
            }
        }
        let input = detached()
        return Tensor.record(value, inputs: [self]) { g in
            [
                Tensor(shape: input.shape) { dx in
                    g.withUnsafeBufferPointer { gv in
                        input.withUnsafeBufferPointer { x in
                            weights.withUnsafeBufferPointer { m in
                                for r in 0..<m.count {
                                    let (o, xr, gr, w) = (
                                        dx.baseAddress! + r &* d, x.baseAddress! + r &* d, gv.baseAddress! + r &* d,
                                        m[r]
                                    )
                                    for c in 0..<d { o[c] = xr[c] > 0 ? gr[c] * w : 0 }
                                }
                            }
                        }
                    }
                }
            ]
        }
    }
}
