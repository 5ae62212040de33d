import Foundation

/// The widest family of vector instructions a processor (or a library's kernels) uses, in
/// increasing order: what `BLASLibrary` compares to tell a library that knows the CPU from one
/// that fell back to older kernels.
public enum VectorLevel: Int, Comparable, Sendable, CustomStringConvertible {
    case scalar, sse, avx, avx2, avx512

    public static func < (a: VectorLevel, b: VectorLevel) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .scalar: return "no vector units"
        case .sse: return "SSE"
        case .avx: return "AVX"
        case .avx2: return "AVX2"
        case .avx512: return "AVX-512"
        }
    }
}

/// The processor this process runs on: its name and the vector features it reports.
public struct CPUDescription: Sendable {
    public let model: String
    /// The vector-related feature flags, as the kernel names them (`avx2`, `fma`, `avx512f`, …).
    public let vectorFeatures: [String]
    public let level: VectorLevel

    public static let current: CPUDescription = {
        #if os(Linux)
            let text = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
            return CPUDescription(cpuinfo: text)
        #else
            return CPUDescription(model: machineName(), vectorFeatures: [], level: .scalar)
        #endif
    }()

    public init(model: String, vectorFeatures: [String], level: VectorLevel) {
        (self.model, self.vectorFeatures, self.level) = (model, vectorFeatures, level)
    }

    /// Reads the first processor's `model name` and `flags` of a Linux `/proc/cpuinfo`.
    public init(cpuinfo: String) {
        func field(_ name: String) -> String? {
            for line in cpuinfo.split(separator: "\n") where line.hasPrefix(name) {
                guard let colon = line.firstIndex(of: ":") else { continue }
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            return nil
        }
        let flags = Set((field("flags") ?? field("Features") ?? "").split(separator: " ").map(String.init))
        let shown = [
            "sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16",
            "avx512_fp16", "amx_tile", "amx_bf16", "asimd", "sve",
        ]
        var level = VectorLevel.scalar
        if flags.contains("sse2") || flags.contains("asimd") { level = .sse }
        if flags.contains("avx") { level = .avx }
        if flags.contains("avx2") && flags.contains("fma") { level = .avx2 }
        if flags.contains("avx512f") && flags.contains("avx512bw") && flags.contains("avx512vl") { level = .avx512 }
        self.init(
            model: field("model name") ?? field("Model name") ?? Self.machineName(),
            vectorFeatures: shown.filter(flags.contains), level: level)
    }

    static func machineName() -> String {
        var u = utsname()
        uname(&u)
        return withUnsafeBytes(of: &u.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// "AMD EPYC (AVX-512: avx2 fma avx512f …)".
    public var summary: String { "\(model) (\(level): \(vectorFeatures.joined(separator: " ")))" }
}
