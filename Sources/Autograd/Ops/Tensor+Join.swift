/// Ops that cut tensors apart and put them together along an axis.
extension Tensor {
    /// Joins tensors along `axis`; all other sizes must agree.
    public static func concat(_ parts: [Tensor], axis: Int) -> Tensor {
        guard let first = parts.first else { shapeFailure(ShapeError(op: "concat", "no tensors to join")) }
        let a = checked { () throws(ShapeError) in try Shape.axis(axis, rank: first.rank, op: "concat") }
        var shape = first.shape
        shape[a] = 0
        for p in parts {
            var s = p.shape
            guard s.count == first.rank else {
                shapeFailure(
                    ShapeError(
                        op: "concat",
                        "shapes \(Shape.describe(first.shape)) and \(Shape.describe(p.shape)) differ in rank"))
            }
            s[a] = 0
            var f = first.shape
            f[a] = 0
            guard s == f else {
                shapeFailure(
                    ShapeError(
                        op: "concat",
                        "shapes \(Shape.describe(first.shape)) and \(Shape.describe(p.shape)) differ outside axis \(a)")
                )
            }
            shape[a] += p.shape[a]
        }
        let (outer, total, inner) = Shape.around(shape, axis: a)
        let sizes = parts.map { $0.shape[a] }
        let value = Tensor(shape: shape) { out in
            var start = 0
            for (p, size) in zip(parts, sizes) {
                p.withUnsafeBufferPointer { x in
                    let run = size * inner
                    for o in 0..<outer {
                        let dst = (o * total + start) * inner
                        let src = o * run
                        for i in 0..<run { out[dst + i] = x[src + i] }
                    }
                }
                start += size
            }
        }
        return record(value, inputs: parts) { g in
            var start = 0
            return sizes.map { size in
                defer { start += size }
                return g.sliceValues(axis: a, range: start..<(start + size))
            }
        }
    }

    /// Cuts `axis` into consecutive pieces of the given sizes.
    public func split(axis: Int, sizes: [Int]) -> [Tensor] {
        let a = checked { () throws(ShapeError) in try Shape.axis(axis, rank: rank, op: "split") }
        guard sizes.reduce(0, +) == shape[a], sizes.allSatisfy({ $0 >= 0 }) else {
            shapeFailure(
                ShapeError(
                    op: "split", "sizes \(sizes) do not add up to \(shape[a]), axis \(a) of \(Shape.describe(shape))"))
        }
        var start = 0
        return sizes.map { size in
            defer { start += size }
            return sliced(axis: a, range: start..<(start + size))
        }
    }

    /// The elements at positions `range` along `axis`.
    public func sliced(axis: Int, range: Range<Int>) -> Tensor {
        let a = checked { () throws(ShapeError) in try Shape.axis(axis, rank: rank, op: "slice") }
        guard range.lowerBound >= 0, range.upperBound <= shape[a] else {
            shapeFailure(ShapeError(op: "slice", "range \(range) is outside axis \(a) of \(Shape.describe(shape))"))
        }
        let value = sliceValues(axis: a, range: range)
        let from = shape
        return Tensor.record(value, inputs: [self]) { g in
            let (outer, size, inner) = Shape.around(from, axis: a)
            let run = range.count * inner
            let grad = Tensor(shape: from) { out in
                out.initialize(repeating: 0)
                g.withUnsafeBufferPointer { x in
                    for o in 0..<outer {
                        let dst = (o * size + range.lowerBound) * inner
                        for i in 0..<run { out[dst + i] = x[o * run + i] }
                    }
                }
            }
            return [grad]
        }
    }

    func sliceValues(axis a: Int, range: Range<Int>) -> Tensor {
        let (outer, size, inner) = Shape.around(shape, axis: a)
        var newShape = shape
        newShape[a] = range.count
        let run = range.count * inner
        return Tensor(shape: newShape) { out in
            withUnsafeBufferPointer { x in
                for o in 0..<outer {
                    let src = (o * size + range.lowerBound) * inner
                    for i in 0..<run { out[o * run + i] = x[src + i] }
                }
            }
        }
    }

    /// Picks entries along `axis` by index (an index may repeat): embedding lookup and
    /// gathering by index. The gradient adds back into the picked positions.
    public func indexSelect(axis: Int, indices: [Int]) -> Tensor {
        let a = checked { () throws(ShapeError) in try Shape.axis(axis, rank: rank, op: "indexSelect") }
        let (outer, size, inner) = Shape.around(shape, axis: a)
        if let bad = indices.first(where: { $0 < 0 || $0 >= size }) {
            shapeFailure(
                ShapeError(
                    op: "indexSelect",
                    "index \(bad) is out of range 0..<\(size) on axis \(a) of \(Shape.describe(shape))"))
        }
        var newShape = shape
        newShape[a] = indices.count
        let picked = indices.count
        let value = Tensor(shape: newShape) { out in
            withUnsafeBufferPointer { x in
                for o in 0..<outer {
                    for (k, idx) in indices.enumerated() {
                        let src = (o * size + idx) * inner
                        let dst = (o * picked + k) * inner
                        for i in 0..<inner { out[dst + i] = x[src + i] }
                    }
                }
            }
        }
        let from = shape
        return Tensor.record(value, inputs: [self]) { g in
            let grad = Tensor(shape: from) { out in
                out.initialize(repeating: 0)
                g.withUnsafeBufferPointer { x in
                    for o in 0..<outer {
                        for (k, idx) in indices.enumerated() {
                            let dst = (o * size + idx) * inner
                            let src = (o * picked + k) * inner
                            for i in 0..<inner { out[dst + i] += x[src + i] }
                        }
                    }
                }
            }
            return [grad]
        }
    }
}
