#if !canImport(Accelerate)
    import Foundation
    import Settings

    /// BLIS (Debian's `libblis4-serial`; its CBLAS layer). It picks a configuration by the
    /// processor's family and model; 0.9.0 runs its generic kernels on processors it predates.
    enum BLISBackend: BLASBackend {
        static let name = "blis"
        static let summary =
            "BLIS (Debian's libblis4-serial): a configuration chosen by the processor's family and model"
        static let files = ["libblis.so.4"]

        static func bind(_ handle: UnsafeMutableRawPointer, file: String) -> BLASLibrary? {
            typealias Text = @convention(c) () -> UnsafePointer<CChar>?
            guard let product = BLASLibrary.symbol(handle, "cblas_sgemm", as: BLASLibrary.CBLASProduct.self),
                let version = BLASLibrary.symbol(handle, "bli_info_get_version_str", as: Text.self)
            else { return nil }
            BLASLibrary.symbol(handle, "bli_thread_set_num_threads", as: (@convention(c) (Int) -> Void).self)?(1)
            var kernels = "?"
            if let id = BLASLibrary.symbol(handle, "bli_arch_query_id", as: (@convention(c) () -> Int32).self),
                let text = BLASLibrary.symbol(
                    handle, "bli_arch_string", as: (@convention(c) (Int32) -> UnsafePointer<CChar>?).self),
                let name = text(id())
            {
                kernels = String(cString: name)
            }
            return BLASLibrary(
                backend: name, name: "BLIS " + (version().map { String(cString: $0) } ?? "?"), file: file,
                kernels: kernels, kernelLevel: level(arch: kernels), product: .cblas(product))
        }

        static func level(arch: String) -> VectorLevel? {
            switch arch {
            case "skx", "knl", "zen4", "zen5": return .avx512
            case "haswell", "zen", "zen2", "zen3", "excavator", "steamroller": return .avx2
            case "sandybridge", "bulldozer", "piledriver": return .avx
            case "penryn": return .sse
            case "generic": return .sse
            default: return nil
            }
        }
    }
#endif
