import NN

/// The head counts and edge widths GLIDN's attention layers are compiled for: 4 or 8 heads,
/// with the 5 edge features of the local graphs (`GraphInputs.localEdgeSize`) or the 7 of the
/// global graph (`GraphInputs.globalEdgeSize`) or the 16 of a global graph over
/// a video of segments. Other shapes run the kernel's general form.
enum AttentionShapes {
    struct Four: KernelExtent { var value: Int { 4 } }
    struct Eight: KernelExtent { var value: Int { 8 } }
    struct LocalEdges: KernelExtent { var value: Int { GraphInputs.localEdgeSize } }
    struct GlobalEdges: KernelExtent { var value: Int { GraphInputs.globalEdgeSize } }
    struct VideoGlobalEdges: KernelExtent { var value: Int { GraphInputs.videoGlobalEdgeSize } }

    static let kernels = AttentionKernels([
        .specialised(heads: Four(), edgeWidth: LocalEdges()),
        .specialised(heads: Four(), edgeWidth: GlobalEdges()),
        .specialised(heads: Eight(), edgeWidth: LocalEdges()),
        .specialised(heads: Eight(), edgeWidth: GlobalEdges()),
        .specialised(heads: Four(), edgeWidth: VideoGlobalEdges()),
        .specialised(heads: Eight(), edgeWidth: VideoGlobalEdges()),
    ])
}
