/// A size that a kernel loops over, known either when the code is compiled or only when
/// it runs. Kernels written generically over `KernelExtent` are specialised by the compiler
/// for each fixed size they are called with: loops over 4 heads or 5 edge features then
/// unroll into straight-line code, where the same loop over a run-time size spends more on
/// counting than on arithmetic. The run-time form keeps every other size working.
protocol KernelExtent {
    var value: Int { get }
}

struct RuntimeExtent: KernelExtent {
    let value: Int
}

struct FourExtent: KernelExtent { var value: Int { 4 } }
struct FiveExtent: KernelExtent { var value: Int { 5 } }
struct SevenExtent: KernelExtent { var value: Int { 7 } }
struct EightExtent: KernelExtent { var value: Int { 8 } }

/// Work generic over the two extents of graph attention: heads and edge features.
protocol AttentionExtentsBody {
    func run<Heads: KernelExtent, EdgeWidth: KernelExtent>(heads: Heads, edgeWidth: EdgeWidth)
}

enum AttentionExtents {
    /// Runs `body` with compile-time extents for the common shapes (4 or 8 heads; the 5
    /// edge features of the local graphs or the 7 of the global graph) and run-time ones otherwise.
    static func dispatch<Body: AttentionExtentsBody>(heads h: Int, edgeWidth e: Int, _ body: Body) {
        switch (h, e) {
        case (4, 5): body.run(heads: FourExtent(), edgeWidth: FiveExtent())
        case (4, 7): body.run(heads: FourExtent(), edgeWidth: SevenExtent())
        case (8, 5): body.run(heads: EightExtent(), edgeWidth: FiveExtent())
        case (8, 7): body.run(heads: EightExtent(), edgeWidth: SevenExtent())
        default: body.run(heads: RuntimeExtent(value: h), edgeWidth: RuntimeExtent(value: e))
        }
    }
}
