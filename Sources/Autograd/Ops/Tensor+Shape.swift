/// Ops that rearrange elements: reshape, permute, transpose.
extension Tensor {
    /// The same storage under another shape (internal, no record).
    func reshapedStorage(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, storage: storage)
    }

    /// The same elements in another shape with as many elements; one size may be -1 (inferred).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var target = newShape
        if let unknown = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().reduce(1) { $1.offset == unknown ? $0 : $0 * $1.element }
            guard known > 0, count % known == 0 else {
                shapeFailure(
                    ShapeError(
                        op: "reshape", "cannot infer -1 in \(Shape.describe(newShape)) from \(Shape.describe(shape))"))
            }
            target[unknown] = count / known
        }
        guard Shape.count(target) == count, target.allSatisfy({ $0 >= 0 }) else {
            shapeFailure(
                ShapeError(
                    op: "reshape",
                    "cannot reshape \(Shape.describe(shape)) (\(count) elements) to \(Shape.describe(newShape))"))
        }
        if target == shape { return self }
        let from = shape
        return Tensor.record(reshapedStorage(target), inputs: [self]) { g in [g.reshapedStorage(from)] }
    }

    /// Inserts an axis of size 1 at `axis` (negative counts from the end of the result).
    public func unsqueezed(axis: Int) -> Tensor {
        let a = checked { () throws(ShapeError) in try Shape.axis(axis, rank: rank + 1, op: "unsqueezed") }
        var s = shape
        s.insert(1, at: a)
        return reshaped(s)
    }

    /// Reorders axes: result axis i is input axis `order[i]`.
    public func permuted(_ order: [Int]) -> Tensor {
        guard order.count == rank, Set(order) == Set(0..<rank) else {
            shapeFailure(
                ShapeError(
                    op: "permute", "\(order) is not a permutation of the \(rank) axes of \(Shape.describe(shape))"))
        }
        if order == Array(0..<rank) { return self }
        let value = permutedValues(order)
        var inverse = [Int](repeating: 0, count: rank)
        for (i, o) in order.enumerated() { inverse[o] = i }
        return Tensor.record(value, inputs: [self]) { g in [g.permutedValues(inverse)] }
    }

    /// Swaps two axes.
    public func transposed(_ a: Int = -2, _ b: Int = -1) -> Tensor {
        let x = checked { () throws(ShapeError) in try Shape.axis(a, rank: rank, op: "transpose") }
        let y = checked { () throws(ShapeError) in try Shape.axis(b, rank: rank, op: "transpose") }
        var order = Array(0..<rank)
        order.swapAt(x, y)
        return permuted(order)
    }

    func permutedValues(_ order: [Int]) -> Tensor {
        let newShape = order.map { shape[$0] }
        let src = Shape.strides(shape)
        let srcStrides = order.map { src[$0] }
        let loop = BroadcastLoop(shape: newShape, stridesA: srcStrides, stridesB: [Int](repeating: 0, count: rank))
        return Tensor(shape: newShape) { out in
            withUnsafeBufferPointer { x in
                loop.forEachRun { o, ia, _, n, sa, _ in
                    for i in 0..<n { out[o + i] = x[ia + i * sa] }
                }
            }
        }
    }
}
