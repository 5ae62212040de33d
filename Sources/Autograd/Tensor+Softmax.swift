import Foundation

/// Softmax and log-softmax along an axis, computed with the maximum subtracted.
extension Tensor {
    public func softmax(axis: Int = -1) -> Tensor {
        let a = checked { () throws(ShapeError) in try Shape.axis(axis, rank: rank, op: "softmax") }
        let value = softmaxValues(axis: a, log: false)
        return Tensor.record(value, inputs: [self]) { g in
            // dx = y * (g - sum(g * y))
            let gy = Tensor.zipMap(g, value, *)
            let s = gy.sumValues(axis: a)
            return [Tensor.zipMap(gy, Tensor.broadcastMap(value, s, op: "softmax") { y, s in y * s }, -)]
        }
    }

    public func logSoftmax(axis: Int = -1) -> Tensor {
        let a = checked { () throws(ShapeError) in try Shape.axis(axis, rank: rank, op: "logSoftmax") }
        let value = softmaxValues(axis: a, log: true)
        return Tensor.record(value, inputs: [self]) { g in
            // dx = g - softmax * sum(g)
            let s = g.sumValues(axis: a)
            let p = value.map { Foundation.exp($0) }
            return [Tensor.zipMap(g, Tensor.broadcastMap(p, s, op: "logSoftmax", *), -)]
        }
    }

    /// Sum along an axis kept with size 1, without recording.
    func sumValues(axis a: Int) -> Tensor {
        withoutGradients { sum(axis: a, keepDims: true) }
    }

    func softmaxValues(axis a: Int, log: Bool) -> Tensor {
        let (outer, size, inner) = Shape.around(shape, axis: a)
        return Tensor(shape: shape) { out in
            withUnsafeBufferPointer { x in
                for o in 0..<outer {
                    for i in 0..<inner {
                        let base = o * size * inner + i
                        var m = -Float.infinity
                        for s in 0..<size { m = Swift.max(m, x[base + s * inner]) }
                        var total: Float = 0
                        for s in 0..<size {
                            let e = Foundation.exp(x[base + s * inner] - m)
                            out[base + s * inner] = e
                            total += e
                        }
                        if log {
                            let lse = m + Foundation.log(total)
                            for s in 0..<size { out[base + s * inner] = x[base + s * inner] - lse }
                        } else {
                            let r = 1 / total
                            for s in 0..<size { out[base + s * inner] *= r }
                        }
                    }
                }
            }
        }
    }
}
