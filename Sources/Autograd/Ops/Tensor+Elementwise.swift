/// Elementwise kernels: maps over one tensor, zips over two of the same shape, and
/// broadcasting binary maps. They record nothing; ops build on them. Large maps and
/// zips are split over the cores.
extension Tensor {
    /// Elements per chunk below which elementwise loops stay on one thread.
    public static let parallelChunk = 1 << 15

    /// Applies `f` to every element (no gradient).
    @inlinable
    public func map(_ f: (Float) -> Float) -> Tensor {
        Tensor(shape: shape) { out in
            withUnsafeBufferPointer { x in
                let (o, xs) = (UnsafeSendable(out), UnsafeSendable(x))
                Parallel.forEachChunk(count: x.count, minimumChunk: Self.parallelChunk) { range in
                    for i in range { o.value[i] = f(xs.value[i]) }
                }
            }
        }
    }

    /// Combines two tensors of the same shape elementwise (no gradient).
    @inlinable
    public static func zipMap(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        require(a.shape == b.shape, "zipMap: shapes \(Shape.describe(a.shape)) and \(Shape.describe(b.shape)) differ")
        return Tensor(shape: a.shape) { out in
            a.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { y in
                    let (o, xs, ys) = (UnsafeSendable(out), UnsafeSendable(x), UnsafeSendable(y))
                    Parallel.forEachChunk(count: x.count, minimumChunk: Self.parallelChunk) { range in
                        for i in range { o.value[i] = f(xs.value[i], ys.value[i]) }
                    }
                }
            }
        }
    }

    /// Combines three tensors of the same shape elementwise (no gradient).
    @inlinable
    public static func zipMap(_ a: Tensor, _ b: Tensor, _ c: Tensor, _ f: (Float, Float, Float) -> Float) -> Tensor {
        require(
            a.shape == b.shape && b.shape == c.shape,
            "zipMap: shapes \(Shape.describe(a.shape)), \(Shape.describe(b.shape)) and \(Shape.describe(c.shape)) differ"
        )
        return Tensor(shape: a.shape) { out in
            a.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { y in
                    c.withUnsafeBufferPointer { z in
                        let (o, xs, ys, zs) = (
                            UnsafeSendable(out), UnsafeSendable(x), UnsafeSendable(y), UnsafeSendable(z)
                        )
                        Parallel.forEachChunk(count: x.count, minimumChunk: Self.parallelChunk) { range in
                            for i in range { o.value[i] = f(xs.value[i], ys.value[i], zs.value[i]) }
                        }
                    }
                }
            }
        }
    }

    /// Combines two tensors elementwise under NumPy broadcasting (no gradient).
    @inline(__always)
    public static func broadcastMap(_ a: Tensor, _ b: Tensor, op: String, _ f: (Float, Float) -> Float) -> Tensor {
        if a.shape == b.shape { return zipMap(a, b, f) }
        let shape = checked { () throws(ShapeError) in try Shape.broadcast(a.shape, b.shape, op: op) }
        let loop = BroadcastLoop(
            shape: shape,
            stridesA: Shape.broadcastStrides(a.shape, to: shape),
            stridesB: Shape.broadcastStrides(b.shape, to: shape))
        return Tensor(shape: shape) { out in
            a.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { y in
                    loop.forEachRun { o, ia, ib, n, sa, sb in
                        if sa == 1 && sb == 1 {
                            for i in 0..<n { out[o + i] = f(x[ia + i], y[ib + i]) }
                        } else if sb == 0 {
                            let v = y[ib]
                            for i in 0..<n { out[o + i] = f(x[ia + i * sa], v) }
                        } else if sa == 0 {
                            let v = x[ia]
                            for i in 0..<n { out[o + i] = f(v, y[ib + i * sb]) }
                        } else {
                            for i in 0..<n { out[o + i] = f(x[ia + i * sa], y[ib + i * sb]) }
                        }
                    }
                }
            }
        }
    }

    /// Sums this tensor down to `target`, a shape it was broadcast from:
    /// the gradient rule of broadcasting.
    public func sum(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        let op = "sum(toShape:)"
        let check = checked { () throws(ShapeError) in try Shape.broadcast(target, shape, op: op) }
        guard check == shape else {
            shapeFailure(ShapeError(op: op, "\(Shape.describe(shape)) is not a broadcast of \(Shape.describe(target))"))
        }
        var result = Tensor.zeros(target)
        let loop = BroadcastLoop(
            shape: shape, stridesA: Shape.strides(shape), stridesB: Shape.broadcastStrides(target, to: shape))
        result.withUnsafeMutableBufferPointer { out in
            withUnsafeBufferPointer { g in
                loop.forEachRun { _, ia, ib, n, _, sb in
                    if sb == 0 {
                        var s: Float = 0
                        for i in 0..<n { s += g[ia + i] }
                        out[ib] += s
                    } else {
                        for i in 0..<n { out[ib + i * sb] += g[ia + i] }
                    }
                }
            }
        }
        return result
    }

    /// Broadcasts this tensor to a larger shape (differentiable).
    public func broadcast(to target: [Int]) -> Tensor {
        if shape == target { return self }
        let value = broadcastValues(to: target, op: "broadcast(to:)")
        let from = shape
        return Tensor.record(value, inputs: [self]) { g in [g.sum(toShape: from)] }
    }

    /// The values repeated along broadcast axes to fill `target`, without recording.
    func broadcastValues(to target: [Int], op: String) -> Tensor {
        if shape == target { return self }
        let joined = checked { () throws(ShapeError) in try Shape.broadcast(shape, target, op: op) }
        guard joined == target else {
            shapeFailure(ShapeError(op: op, "\(Shape.describe(shape)) does not broadcast to \(Shape.describe(target))"))
        }
        let loop = BroadcastLoop(
            shape: target, stridesA: Shape.broadcastStrides(shape, to: target),
            stridesB: [Int](repeating: 0, count: target.count))
        return Tensor(shape: target) { out in
            withUnsafeBufferPointer { x in
                loop.forEachRun { o, ia, _, n, sa, _ in
                    if sa == 0 {
                        let v = x[ia]
                        for i in 0..<n { out[o + i] = v }
                    } else {
                        for i in 0..<n { out[o + i] = x[ia + i * sa] }
                    }
                }
            }
        }
    }

    /// Adds `other` (same shape) into this tensor in place, outside the tape.
    public mutating func addInPlace(_ other: Tensor) {
        require(
            shape == other.shape,
            "addInPlace: shapes \(Shape.describe(shape)) and \(Shape.describe(other.shape)) differ")
        withUnsafeMutableBufferPointer { x in
            other.withUnsafeBufferPointer { y in
                let p = UnsafeSendable((x.baseAddress!, y.baseAddress!))
                Parallel.forEachChunk(count: x.count, minimumChunk: Tensor.parallelChunk) { range in
                    let (xp, yp) = p.value
                    for i in range { xp[i] += yp[i] }
                }
            }
        }
    }
}
