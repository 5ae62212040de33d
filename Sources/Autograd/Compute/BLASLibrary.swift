import Foundation
import Logging
import Settings

#if canImport(Accelerate)
    import Accelerate
#endif

/// The library that computes matrix products, chosen when the process starts.
///
/// On Linux the library is loaded at run time, not linked: the best one installed is taken
/// (`backends`, in order of preference: oneDNN first, because it picks its kernels by the
/// CPU's features and so uses AVX-512 on processors newer than the library, where OpenBLAS
/// and BLIS, which pick by processor model, fall back to older kernels), and `GLIDN_BLAS`
/// names another (`openblas`, `blis`, a backend's name, or a library's path) for comparisons.
/// Every backend computes single-threaded: `Parallel` splits the products (see `BLAS`).
/// On Apple platforms the library is Accelerate.
public struct BLASLibrary: @unchecked Sendable {
    /// The backend's name (`GLIDN_BLAS` value): `onednn`, `openblas`, …
    public let backend: String
    /// The library's own name and version: "oneDNN 2.6.3".
    public let name: String
    /// The file loaded.
    public let file: String
    /// The kernels it chose for this CPU, as it names them ("avx512_core_bf16", "Haswell").
    public let kernels: String
    /// The vector instructions those kernels use, when known.
    public let kernelLevel: VectorLevel?
    let product: Product

    /// How to call the library's single-precision product.
    enum Product {
        /// CBLAS's `cblas_sgemm` (or a prefixed copy of it).
        case cblas(CBLASProduct)
        /// oneDNN's `dnnl_sgemm`, row-major, with OpenMP's per-thread thread count kept at 1.
        case dnnl(DNNLProduct, OpenMPThreads)
        #if canImport(Accelerate)
            case accelerate
        #endif
    }

    typealias CBLASProduct =
        @convention(c) (
            Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32, UnsafePointer<Float>?, Int32,
            Float,
            UnsafeMutablePointer<Float>?, Int32
        ) -> Void
    typealias DNNLProduct =
        @convention(c) (
            CChar, CChar, Int64, Int64, Int64, Float, UnsafePointer<Float>?, Int64, UnsafePointer<Float>?, Int64, Float,
            UnsafeMutablePointer<Float>?, Int64
        ) -> Int32

    /// OpenMP's `omp_get_max_threads` and `omp_set_num_threads`: the thread count is a
    /// per-thread setting, so each thread that multiplies sets its own to 1 on its first product.
    struct OpenMPThreads {
        let get: @convention(c) () -> Int32
        let set: @convention(c) (Int32) -> Void
    }

    static var backends: [any BLASBackend.Type] { Catalogues.blasLibraries.entries }

    public static var backendNames: [String] { Catalogues.blasLibraries.names }

    static let logger = Logger(label: "glidn.blas")

    /// The library of this process: `GLIDN_BLAS`'s choice, else the first backend installed.
    public static let loaded: Result<BLASLibrary, BLASLoadError> = load(
        ProcessInfo.processInfo.environment["GLIDN_BLAS"])

    /// The library, for code that multiplies (the command line checks `loaded` first, so that
    /// a machine without any BLAS gets a message, not a trap).
    static var current: BLASLibrary {
        switch loaded {
        case .success(let library): return library
        case .failure(let error): fatalError(error.description)
        }
    }

    /// Loads the library `request` names (a backend's name or a path), or the best installed.
    public static func load(_ request: String?) -> Result<BLASLibrary, BLASLoadError> {
        #if canImport(Accelerate)
            return .success(
                BLASLibrary(
                    backend: "accelerate", name: "Accelerate", file: "Accelerate.framework", kernels: "Apple's",
                    kernelLevel: nil, product: .accelerate))
        #else
            var tried: [String] = []
            let request = request?.trimmingCharacters(in: .whitespaces)
            if let request, !request.isEmpty {
                if request.contains("/") {
                    // A path: whichever backend recognises the library's symbols binds it.
                    guard let handle = dlopen(request, RTLD_NOW | RTLD_LOCAL) else {
                        return .failure(BLASLoadError(request: request, tried: [String(cString: dlerror())]))
                    }
                    for backend in backends {
                        if let library = backend.bind(handle, file: request) { return .success(library) }
                    }
                    return .failure(
                        BLASLoadError(
                            request: request,
                            tried: [
                                "\(request) has no single-precision product any backend knows (\(backendNames.joined(separator: ", ")))"
                            ]))
                }
                guard let backend = backends.first(where: { $0.name == request.lowercased() }) else {
                    return .failure(
                        BLASLoadError(
                            request: request,
                            tried: [
                                "GLIDN_BLAS names no backend (known: \(backendNames.joined(separator: ", ")), or a library's path)"
                            ]))
                }
                return open(backend, tried: &tried).map { .success($0) }
                    ?? .failure(BLASLoadError(request: request, tried: tried))
            }
            for backend in backends {
                if let library = open(backend, tried: &tried) { return .success(library) }
            }
            return .failure(BLASLoadError(request: nil, tried: tried))
        #endif
    }

    #if !canImport(Accelerate)
        static func open(_ backend: any BLASBackend.Type, tried: inout [String]) -> BLASLibrary? {
            for file in backend.files {
                guard let handle = dlopen(file, RTLD_NOW | RTLD_LOCAL) else {
                    tried.append(String(cString: dlerror()))
                    continue
                }
                if let library = backend.bind(handle, file: file) { return library }
                tried.append("\(file): not a \(backend.name) library")
                dlclose(handle)
            }
            return nil
        }
    #endif

    /// A symbol of `handle` as a C function of type `T`, or nil when the library lacks it.
    static func symbol<T>(_ handle: UnsafeMutableRawPointer, _ name: String, as type: T.Type) -> T? {
        guard let pointer = dlsym(handle, name) else { return nil }
        return unsafeBitCast(pointer, to: type)
    }

    /// C = alpha · op(A) · op(B) + beta · C, row-major, on the calling thread (`BLAS.gemm`
    /// is the door the package uses: it splits large products over the cores).
    @inline(__always)
    public func sgemm(
        _ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
        _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
        _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) {
        switch product {
        case .cblas(let f):
            f(
                101, transA ? 112 : 111, transB ? 112 : 111, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b,
                Int32(ldb), beta, c,
                Int32(ldc))
        case .dnnl(let f, let threads):
            if threads.get() != 1 { threads.set(1) }
            let status = f(
                transA ? 84 : 78, transB ? 84 : 78, Int64(m), Int64(n), Int64(k), alpha, a, Int64(lda), b, Int64(ldb),
                beta,
                c, Int64(ldc))
            // Only invalid arguments fail, which `BLAS.gemm`'s callers never pass.
            precondition(status == 0, "dnnl_sgemm failed with status \(status) for \(m) × \(n) × \(k)")
        #if canImport(Accelerate)
            case .accelerate:
                cblas_sgemm(
                    CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        #endif
        }
    }

    /// Whether the library uses narrower vectors than the CPU has: it did not recognise the
    /// processor and fell back to an older generation's kernels.
    public func fellBack(on cpu: CPUDescription = .current) -> Bool {
        guard let kernelLevel else { return false }
        return kernelLevel < cpu.level
    }

    /// "oneDNN 2.6.3 (libdnnl.so.2), avx512_core_bf16 kernels (AVX-512)".
    public var summary: String {
        "\(name) (\(file)), \(kernels) kernels" + (kernelLevel.map { " (\($0))" } ?? "")
    }

    /// What to do when `fellBack`: which library to install or choose instead.
    public func advice(on cpu: CPUDescription = .current) -> String? {
        guard fellBack(on: cpu), let kernelLevel else { return nil }
        var text =
            "\(name) uses \(kernelLevel) kernels (\(kernels)) on a CPU with \(cpu.level): it does not know this processor, and matrix products run at a fraction of the CPU's speed."
        if backend == OneDNNBackend.name {
            text += " Unset ONEDNN_MAX_CPU_ISA / DNNL_MAX_CPU_ISA if they are set."
        } else {
            text +=
                " Install oneDNN (Debian's libdnnl2, as `make deps` does), which picks its kernels by the CPU's features"
            text += ProcessInfo.processInfo.environment["GLIDN_BLAS"] == nil ? "." : ", and unset GLIDN_BLAS."
        }
        return text
    }

    /// The library, the CPU and what the build's own kernels were compiled for, in one line:
    /// what the training log and `glidn bench` say runs.
    public var runSummary: String {
        "BLAS: \(summary); CPU: \(CPUDescription.current.summary); own kernels compiled for \(CompiledKernels.summary)"
    }

    /// What makes this process slower than its CPU allows, each with what to do: a library that
    /// fell back to older kernels (`advice`), and GLIDN's own kernels built for narrower
    /// vectors than the CPU has (`CompiledKernels.advice`).
    public static var speedWarnings: [String] {
        var warnings: [String] = []
        if case .success(let library) = loaded, let advice = library.advice() { warnings.append(advice) }
        if let advice = CompiledKernels.advice() { warnings.append(advice) }
        return warnings
    }

    /// Logs which library runs, and warns when it or the build falls short of the CPU: once per
    /// process, when long work (training) starts.
    public static func logChoice() { _ = loggedChoice }

    private static let loggedChoice: Void = {
        guard case .success(let library) = loaded else { return }
        logger.info("\(library.runSummary)")
        for warning in speedWarnings { logger.warning("\(warning)") }
    }()
}

/// No BLAS library could be loaded.
public struct BLASLoadError: Error, CustomStringConvertible, Sendable {
    public let request: String?
    public let tried: [String]

    public var description: String {
        guard let request else {
            return "cannot load a BLAS library: " + tried.joined(separator: "; ")
                + ". Install oneDNN (Debian: apt-get install libdnnl2; `make deps` does it) or OpenBLAS (libopenblas0)."
        }
        return "cannot load the BLAS library GLIDN_BLAS names ('\(request)'): " + tried.joined(separator: "; ")
            + ". Unset GLIDN_BLAS to use the best one installed."
    }
}

extension Catalogues {
    /// Every BLAS library the package can load on Linux, by `GLIDN_BLAS` name, in order of
    /// preference. A new one is a file in `BLASBackends/` and a line here.
    #if canImport(Accelerate)
        static let blasLibraries = Catalogue<any BLASBackend.Type>(option: "GLIDN_BLAS", [])
    #else
        static let blasLibraries = Catalogue<any BLASBackend.Type>(
            option: "GLIDN_BLAS",
            [
                OneDNNBackend.self,
                OpenBLASBackend.self,
                BLISBackend.self,
                ScipyOpenBLASBackend.self,
            ])
    #endif
}

/// One kind of BLAS library the package can load (`Catalogues.blasLibraries`); its `name` is
/// the `GLIDN_BLAS` value.
protocol BLASBackend: Named {
    /// The files `dlopen` tries, in order (sonames, found on the loader's search path).
    static var files: [String] { get }
    /// The library behind `handle` as this backend, or nil when it lacks the backend's symbols.
    static func bind(_ handle: UnsafeMutableRawPointer, file: String) -> BLASLibrary?
}
