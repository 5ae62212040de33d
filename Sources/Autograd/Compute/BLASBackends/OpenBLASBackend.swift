#if !canImport(Accelerate)
    import Foundation
    import Settings

    /// OpenBLAS (Debian's `libopenblas0`). It picks its kernels by the processor's model, so on a
    /// processor newer than the library it falls back to an older generation's (Debian's 0.3.21
    /// runs AVX2 kernels on AVX-512 processors of 2023 and later).
    enum OpenBLASBackend: BLASBackend {
        static let name = "openblas"
        static let summary = "OpenBLAS (Debian's libopenblas0): kernels chosen by the processor's model"
        static let files = ["libopenblas.so.0"]

        static func bind(_ handle: UnsafeMutableRawPointer, file: String) -> BLASLibrary? {
            OpenBLASFamily.bind(handle, file: file, prefix: "", backend: name)
        }
    }

    /// OpenBLAS as PyPI's `scipy-openblas32` wheel ships it: every symbol prefixed `scipy_`; the
    /// library lives in the wheel's folder (`GLIDN_BLAS=/path/to/libscipy_openblas.so`).
    enum ScipyOpenBLASBackend: BLASBackend {
        static let name = "scipy-openblas"
        static let summary = "OpenBLAS of PyPI's scipy-openblas32 wheel (name the library's path)"
        static let files = ["libscipy_openblas.so"]

        static func bind(_ handle: UnsafeMutableRawPointer, file: String) -> BLASLibrary? {
            OpenBLASFamily.bind(handle, file: file, prefix: "scipy_", backend: name)
        }
    }

    /// What the two OpenBLAS builds share.
    enum OpenBLASFamily {
        static func bind(_ handle: UnsafeMutableRawPointer, file: String, prefix: String, backend: String)
            -> BLASLibrary?
        {
            typealias Text = @convention(c) () -> UnsafePointer<CChar>?
            guard let product = BLASLibrary.symbol(handle, prefix + "cblas_sgemm", as: BLASLibrary.CBLASProduct.self),
                let core = BLASLibrary.symbol(handle, prefix + "openblas_get_corename", as: Text.self)
            else { return nil }
            // Single-threaded, and its own worker threads stopped: they start when the library
            // loads and spin for about 0.1 s before they sleep, a third of a 2-core machine.
            BLASLibrary.symbol(handle, prefix + "openblas_set_num_threads", as: (@convention(c) (Int32) -> Void).self)?(
                1)
            _ = BLASLibrary.symbol(handle, prefix + "blas_thread_shutdown_", as: (@convention(c) () -> Int32).self)?()
            let config =
                BLASLibrary.symbol(handle, prefix + "openblas_get_config", as: Text.self)?().map { String(cString: $0) }
                ?? ""
            // "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH …": the first two words.
            let version = config.split(separator: " ").prefix(2).joined(separator: " ")
            let kernels = core().map { String(cString: $0) } ?? "?"
            return BLASLibrary(
                backend: backend, name: version.isEmpty ? "OpenBLAS" : version, file: file, kernels: kernels,
                kernelLevel: level(core: kernels), product: .cblas(product))
        }

        /// The vector instructions of OpenBLAS's x86 kernel families.
        static func level(core: String) -> VectorLevel? {
            switch core.lowercased() {
            case "skylakex", "cooperlake", "sapphirerapids": return .avx512
            case "haswell", "zen", "excavator", "steamroller": return .avx2
            case "sandybridge", "bulldozer", "piledriver": return .avx
            case "prescott", "core2", "penryn", "dunnington", "nehalem", "atom", "opteron", "opteron_sse3", "barcelona",
                "nano":
                return .sse
            default: return nil
            }
        }
    }
#endif
