import CONNXRuntime
import Foundation

/// ONNX Runtime's library, loaded at run time: from PyPI's onnxruntime wheel, which `make deps`
/// installs and links as /usr/local/lib/libonnxruntime.so.1 (tools/setup/onnxruntime.sh).
/// `GLIDN_ONNXRUNTIME` names another file. Where none is found, ONNX models run on OpenCV.
public struct ONNXRuntimeLibrary: Sendable {
    /// The file loaded and the library's version ("1.32.0").
    public let file: String
    public let version: String

    /// The library, loaded once per process; the error names every file tried.
    public static func load() throws -> ONNXRuntimeLibrary {
        try loaded.get()
    }

    private static let loaded: Result<ONNXRuntimeLibrary, DetectorError> = {
        // The C side loads one library per process and keeps the outcome: one file is tried.
        let file = candidate()
        var version = [CChar](repeating: 0, count: 64)
        var error = [CChar](repeating: 0, count: 512)
        if glidn_ort_load(file, &version, Int32(version.count), &error, Int32(error.count)) == 0 {
            return .success(ONNXRuntimeLibrary(file: file, version: cMessage(version)))
        }
        return .failure(
            DetectorError(
                "ONNX Runtime is not installed (\(cMessage(error))); make deps installs it (PyPI's onnxruntime), or GLIDN_ONNXRUNTIME names its libonnxruntime.so"
            ))
    }()

    /// The first library file that exists: GLIDN_ONNXRUNTIME, the link `make deps` makes, then
    /// the wheel's own copy in the usual site-packages folders.
    static func candidate() -> String {
        if let named = ProcessInfo.processInfo.environment["GLIDN_ONNXRUNTIME"], !named.isEmpty { return named }
        var folders = ["/usr/local/lib", "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu"]
        let home = FileManager.default.homeDirectoryForCurrentUser.path
        var sitePackages = ["/usr/local/lib", "/usr/lib", home + "/.local/lib"]
        if let venv = ProcessInfo.processInfo.environment["VIRTUAL_ENV"] { sitePackages.insert(venv + "/lib", at: 0) }
        let pyenv = home + "/.pyenv/versions"
        for version in (try? FileManager.default.contentsOfDirectory(atPath: pyenv))?.sorted() ?? [] {
            sitePackages.append(pyenv + "/" + version + "/lib")
        }
        for base in sitePackages {
            for python in ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).sorted()
            where python.hasPrefix("python3") {
                for kind in ["site-packages", "dist-packages"] {
                    folders.append("\(base)/\(python)/\(kind)/onnxruntime/capi")
                }
            }
        }
        var found: [String] = []
        for folder in folders {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
            for name in names where name == "libonnxruntime.so.1" || (name.hasPrefix("libonnxruntime.so.1.")) {
                found.append(folder + "/" + name)
            }
        }
        return found.first ?? "libonnxruntime.so.1"  // the loader's search path
    }

    /// Whether the library's function table answers as the positions CONNXRuntime declares say.
    public static func checkFunctionTable() -> Bool { glidn_ort_check_api() == 0 }
}
