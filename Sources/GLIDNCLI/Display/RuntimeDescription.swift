import Autograd
import Foundation

/// What `glidn --version --verbose` prints: the version and the libraries and hardware that
/// decide speed and rounding.
enum RuntimeDescription {
    static func lines(version: String) -> [String] {
        var lines = ["glidn \(version)"]
        switch BLASLibrary.loaded {
        case .success(let library):
            lines.append("BLAS: \(library.summary)")
        case .failure(let error):
            lines.append("BLAS: none: \(error.description)")
        }
        lines.append("CPU: \(CPUDescription.current.summary)")
        lines.append("own kernels: compiled for \(CompiledKernels.summary)")
        lines += BLASLibrary.speedWarnings.map { "warning: \($0)" }
        lines.append("threads: \(Parallel.workers) (GLIDN_THREADS, else the active cores, at most 8)")
        lines += VideoCommands.versions()
        return lines
    }
}
