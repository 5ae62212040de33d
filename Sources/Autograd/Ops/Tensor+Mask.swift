/// Masking: filling and selecting by a 0/1 condition tensor (broadcast to the data).
extension Tensor {
    /// Sets the elements where `condition` is non-zero to `value`; the gradient is zero there.
    public func maskedFill(where condition: Tensor, with value: Float) -> Tensor {
        let cond = condition.broadcastValues(to: shape, op: "maskedFill")
        let filled = Tensor.zipMap(self, cond) { x, c in c != 0 ? value : x }
        return Tensor.record(filled, inputs: [self]) { g in
            [Tensor.zipMap(g, cond) { g, c in c != 0 ? 0 : g }]
        }
    }

    /// Elementwise choice: `a` where `condition` is non-zero, `b` elsewhere.
    /// `a` and `b` share a shape; `condition` broadcasts to it.
    public static func select(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        guard a.shape == b.shape else {
            shapeFailure(
                ShapeError(
                    op: "select", "choices have shapes \(Shape.describe(a.shape)) and \(Shape.describe(b.shape))"))
        }
        let cond = condition.broadcastValues(to: a.shape, op: "select")
        let value = zipMap(cond, a, b) { c, x, y in c != 0 ? x : y }
        let (needA, needB) = (a.requiresGrad, b.requiresGrad)
        return record(value, inputs: [a, b]) { g in
            [
                needA ? zipMap(g, cond) { g, c in c != 0 ? g : 0 } : nil,
                needB ? zipMap(g, cond) { g, c in c != 0 ? 0 : g } : nil,
            ]
        }
    }
}
