import Autograd
import Testing

/// A build whose own kernels use narrower vectors than the CPU has is reported, with the flag
/// that fixes it, as a BLAS library that fell back is.
@Suite("The vector instructions the build targets")
struct CompiledKernelsTests {
    static let avx512 = CPUDescription(cpuinfo: "flags\t\t: sse2 avx avx2 fma avx512f avx512bw avx512vl\n")
    static let avx2 = CPUDescription(cpuinfo: "flags\t\t: sse2 avx avx2 fma\n")

    @Test("a baseline build on a wider CPU gets the flag to build with; a build for the CPU gets nothing")
    func advice() {
        let advice = CompiledKernels.advice(on: Self.avx512, compiled: .sse) ?? ""
        #expect(advice.contains("compiled for SSE on a CPU with AVX-512") && advice.contains("-target-cpu"))
        #expect(CompiledKernels.advice(on: Self.avx2, compiled: .sse)?.contains("with AVX2") == true)
        #expect(CompiledKernels.advice(on: Self.avx512, compiled: .avx512) == nil)
        #expect(CompiledKernels.advice(on: Self.avx2, compiled: .avx512) == nil)
    }

    @Test("the build's own level is read from the compiler: at least the 128-bit vectors every 64-bit target has")
    func level() {
        #if arch(x86_64) || arch(arm64)
            #expect(CompiledKernels.level >= .sse)
        #endif
        // Code compiled for more than the CPU has would not run at all: the level cannot exceed it
        // on Linux, where the CPU's features are read.
        #if os(Linux) && arch(x86_64)
            #expect(CompiledKernels.level <= CPUDescription.current.level)
        #endif
    }
}
