#if !canImport(Accelerate)
    import Foundation
    import Settings

    /// oneDNN (Debian's `libdnnl2`, or version 3): its `dnnl_sgemm` chooses JIT-compiled kernels
    /// by the CPU's instruction sets (AVX2, AVX-512, AMX …), whatever the processor's model, so a
    /// processor newer than the library still gets its widest vectors. It is the library
    /// PyTorch's own CPU kernels come from.
    enum OneDNNBackend: BLASBackend {
        static let name = "onednn"
        static let summary = "oneDNN (Debian's libdnnl2): kernels chosen by the CPU's instruction sets"
        static let files = ["libdnnl.so.3", "libdnnl.so.2"]

        private struct Version {
            var major, minor, patch: Int32
            var hash: UnsafePointer<CChar>?
            var cpuRuntime, gpuRuntime: UInt32
        }

        static func bind(_ handle: UnsafeMutableRawPointer, file: String) -> BLASLibrary? {
            typealias VersionFunction = @convention(c) () -> UnsafeRawPointer?
            typealias ISAFunction = @convention(c) () -> Int32
            guard let product = BLASLibrary.symbol(handle, "dnnl_sgemm", as: BLASLibrary.DNNLProduct.self),
                let get = BLASLibrary.symbol(handle, "omp_get_max_threads", as: (@convention(c) () -> Int32).self),
                let set = BLASLibrary.symbol(handle, "omp_set_num_threads", as: (@convention(c) (Int32) -> Void).self)
            else { return nil }
            var version = "oneDNN"
            if let v = BLASLibrary.symbol(handle, "dnnl_version", as: VersionFunction.self)?() {
                let fields = v.load(as: Version.self)
                version += " \(fields.major).\(fields.minor).\(fields.patch)"
            }
            let isa = BLASLibrary.symbol(handle, "dnnl_get_effective_cpu_isa", as: ISAFunction.self)?() ?? 0
            let (kernels, level) = describe(isa: isa)
            return BLASLibrary(
                backend: name, name: version, file: file, kernels: kernels, kernelLevel: level,
                product: .dnnl(product, BLASLibrary.OpenMPThreads(get: get, set: set)))
        }

        /// `dnnl_cpu_isa_t` (dnnl_types.h): each value holds the bits of the ones below it.
        static func describe(isa: Int32) -> (String, VectorLevel?) {
            let known: [(Int32, String, VectorLevel)] = [
                (0x3e7, "avx512_core_amx", .avx512), (0xe7, "avx512_core_bf16", .avx512),
                (0x67, "avx512_core_vnni", .avx512),
                (0x27, "avx512_core", .avx512), (0x407, "avx2_vnni", .avx2), (0x7, "avx2", .avx2), (0x3, "avx", .avx),
                (0x1, "sse41", .sse),
            ]
            if let match = known.first(where: { isa & $0.0 == $0.0 }) { return (match.1, match.2) }
            return ("isa \(isa)", nil)
        }
    }
#endif
