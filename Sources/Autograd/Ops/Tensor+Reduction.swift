/// Reductions: sums, means and maxima over all elements or along one axis.
extension Tensor {
    /// The sum of all elements, as a rank-0 tensor.
    public func sum() -> Tensor {
        let value = withUnsafeBufferPointer { x -> Tensor in
            var s: Float = 0
            for v in x { s += v }
            return Tensor(s)
        }
        let shape = self.shape
        return Tensor.record(value, inputs: [self]) { g in [Tensor(shape: shape, repeating: g.scalar)] }
    }

    /// The mean of all elements, as a rank-0 tensor.
    public func mean() -> Tensor {
        sum() * (1 / Float(Swift.max(count, 1)))
    }

    /// Sums along `axis`; the axis is kept with size 1 when `keepDims` is true.
    public func sum(axis: Int, keepDims: Bool = false) -> Tensor {
        let a = checked { () throws(ShapeError) in try Shape.axis(axis, rank: rank, op: "sum(axis:)") }
        let (outer, size, inner) = Shape.around(shape, axis: a)
        var kept = shape
        kept[a] = 1
        let reduced = Tensor(shape: kept) { out in
            withUnsafeBufferPointer { x in
                if inner == 1 {
                    // Reducing the last axis: each result is the sum of a contiguous run.
                    for o in 0..<outer { out[o] = VectorMath.sum(x.baseAddress! + o * size, size) }
                    return
                }
                for o in 0..<outer {
                    let dst = out.baseAddress! + o * inner
                    dst.initialize(repeating: 0, count: inner)
                    for s in 0..<size { VectorMath.axpy(1, x.baseAddress! + (o * size + s) * inner, dst, inner) }
                }
            }
        }
        let from = shape
        let value = keepDims ? reduced : reduced.reshapedStorage(Self.removing(axis: a, from: shape))
        return Tensor.record(value, inputs: [self]) { g in
            [g.reshapedStorage(kept).broadcast(to: from)]
        }
    }

    /// Averages along `axis`.
    public func mean(axis: Int, keepDims: Bool = false) -> Tensor {
        let a = checked { () throws(ShapeError) in try Shape.axis(axis, rank: rank, op: "mean(axis:)") }
        return sum(axis: a, keepDims: keepDims) * (1 / Float(Swift.max(shape[a], 1)))
    }

    /// The maximum along `axis` and, for each result, the index along `axis` where it
    /// was found (the first one on ties). The gradient flows to that index only.
    public func max(axis: Int, keepDims: Bool = false) -> (values: Tensor, indices: [Int]) {
        let a = checked { () throws(ShapeError) in try Shape.axis(axis, rank: rank, op: "max(axis:)") }
        let (outer, size, inner) = Shape.around(shape, axis: a)
        require(size > 0, "max(axis:): axis \(axis) of shape \(Shape.describe(shape)) is empty")
        var kept = shape
        kept[a] = 1
        var indices = [Int](repeating: 0, count: outer * inner)
        let reduced = Tensor(shape: kept) { out in
            withUnsafeBufferPointer { x in
                for o in 0..<outer {
                    for i in 0..<inner {
                        var best = x[o * size * inner + i]
                        var at = 0
                        for s in 1..<Swift.max(size, 1) {
                            let v = x[(o * size + s) * inner + i]
                            if v > best || (best.isNaN && !v.isNaN) {
                                best = v
                                at = s
                            }
                        }
                        out[o * inner + i] = best
                        indices[o * inner + i] = at
                    }
                }
            }
        }
        let from = shape
        let value = keepDims ? reduced : reduced.reshapedStorage(Self.removing(axis: a, from: shape))
        let chosen = indices
        let result = Tensor.record(value, inputs: [self]) { g in
            let grad = Tensor(shape: from) { out in
                out.initialize(repeating: 0)
                g.withUnsafeBufferPointer { gv in
                    for o in 0..<outer {
                        for i in 0..<inner {
                            out[(o * size + chosen[o * inner + i]) * inner + i] = gv[o * inner + i]
                        }
                    }
                }
            }
            return [grad]
        }
        return (result, indices)
    }

    static func removing(axis: Int, from shape: [Int]) -> [Int] {
        var s = shape
        s.remove(at: axis)
        return s
    }
}
