/// The backward passes of ops that act on one vector along an axis at a time (softmax,
/// L2 normalisation): a loop over those vectors that hands each to a closure.
extension Tensor {
    /// A new tensor of `g`'s shape filled by `row` once per vector along `axis`: `row`
    /// gets g, another tensor of the same shape, the vector's number (in 0..<outer·inner),
    /// its first offset, its length and stride, and the output.
    static func rowwise(
        _ g: Tensor, _ other: Tensor, axis a: Int,
        _ row: (UnsafePointer<Float>, UnsafePointer<Float>, Int, Int, Int, Int, UnsafeMutablePointer<Float>) -> Void
    ) -> Tensor {
        let (outer, size, inner) = Shape.around(g.shape, axis: a)
        return Tensor(shape: g.shape) { out in
            g.withUnsafeBufferPointer { gv in
                other.withUnsafeBufferPointer { ov in
                    for o in 0..<outer {
                        for i in 0..<inner {
                            row(
                                gv.baseAddress!, ov.baseAddress!, o &* inner &+ i, o &* size &* inner &+ i, size, inner,
                                out.baseAddress!)
                        }
                    }
                }
            }
        }
    }
}
