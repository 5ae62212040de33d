/// Shape arithmetic shared by all ops: element counts, strides, broadcasting, axes.
public enum Shape {
    public static func count(_ shape: [Int]) -> Int {
        var n = 1
        for d in shape { n *= d }
        return n
    }

    /// Row-major strides of a contiguous tensor.
    public static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var s = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[i] = s
            s *= shape[i]
        }
        return strides
    }

    public static func describe(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ", ") + "]"
    }

    /// NumPy broadcasting: align from the right; sizes must match or be 1.
    public static func broadcast(_ a: [Int], _ b: [Int], op: String) throws(ShapeError) -> [Int] {
        if a == b { return a }
        let rank = max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if da == db || db == 1 {
                out[i] = da
            } else if da == 1 {
                out[i] = db
            } else {
                throw ShapeError(
                    op: op, "shapes \(describe(a)) and \(describe(b)) cannot be broadcast together")
            }
        }
        return out
    }

    /// Resolves a possibly negative axis (-1 = last) against a rank.
    public static func axis(_ axis: Int, rank: Int, op: String) throws(ShapeError) -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0, a < max(rank, 1) else {
            throw ShapeError(op: op, "axis \(axis) is out of range for a tensor of rank \(rank)")
        }
        return a
    }

    /// Splits a shape around an axis into (outer, size, inner) element counts.
    public static func around(_ shape: [Int], axis: Int) -> (outer: Int, size: Int, inner: Int) {
        var outer = 1
        var inner = 1
        for i in 0..<axis { outer *= shape[i] }
        for i in (axis + 1)..<shape.count { inner *= shape[i] }
        return (outer, shape[axis], inner)
    }

    /// Strides of `shape` viewed inside the broadcast shape `target` (0 on broadcast axes).
    static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        let own = strides(shape)
        let pad = target.count - shape.count
        var out = [Int](repeating: 0, count: target.count)
        for i in 0..<shape.count where shape[i] != 1 || target[i + pad] == 1 {
            out[i + pad] = shape[i] == 1 ? 0 : own[i]
        }
        return out
    }
}
