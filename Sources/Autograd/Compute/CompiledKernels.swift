import CVectorMath

/// The vector instructions GLIDN's own kernels (`VectorMath`, `FastMath`, the fused attention
/// and activation loops) were compiled for. Swift compiles for the baseline of the target
/// unless told otherwise: a plain `swift build -c release` on x86-64 emits SSE only, and a
/// `cad120` step then takes 3.6× its product floor instead of 2.2× on an AVX-512 machine
/// (docs/STUDIES.md, "Where the rest of a `cad120` step goes, looked at again"). The BLAS
/// library chooses its own kernels at run time (`BLASLibrary`); these cannot, so a build for
/// less than the CPU has is reported like a library that fell back.
public enum CompiledKernels {
    /// What this module was compiled for (the same flags reach every module of a build).
    public static let level = VectorLevel(rawValue: Int(glidn_compiled_vector_level())) ?? .scalar

    /// "AVX-512".
    public static var summary: String { "\(level)" }

    /// What to do when the kernels were compiled for narrower vectors than `cpu` has: nil
    /// when they use what the CPU offers.
    public static func advice(on cpu: CPUDescription = .current, compiled: VectorLevel = level) -> String? {
        guard compiled < cpu.level else { return nil }
        return
            "GLIDN's own kernels were compiled for \(compiled) on a CPU with \(cpu.level): they run well below the CPU's speed (a `cad120` training step took 1.6× as long on an AVX-512 machine). Build with `-Xswiftc -target-cpu -Xswiftc native` (`make build` does; for a package that depends on GLIDN, pass it to `swift build`: docs/LIBRARY.md)."
    }
}
