import Autograd
import Foundation
import TestSupport
import Testing

/// The BLAS libraries are loaded at run time and their functions declared by the package,
/// not by their headers: these tests hold each installed library to the declarations, by
/// its answers.
@Suite("BLAS libraries")
struct BLASLibraryTests {
    /// Every backend that loads on this machine.
    static var installed: [BLASLibrary] {
        BLASLibrary.backendNames.compactMap { try? BLASLibrary.load($0).get() }
    }

    @Test("the default library loads, and on Linux it is oneDNN, which make deps installs")
    func defaultLibrary() throws {
        let library = try BLASLibrary.load(nil).get()
        #if os(Linux)
            #expect(library.backend == "onednn")
            #expect(library.name.hasPrefix("oneDNN "))
        #endif
        #expect(!library.kernels.isEmpty && library.kernels != "?")
    }

    @Test("every installed library multiplies as the naive loop does, for each transpose, α, β and row stride")
    func products() throws {
        let libraries = Self.installed
        #expect(!libraries.isEmpty)
        for library in libraries {
            for (transA, transB) in [(false, false), (true, false), (false, true), (true, true)] {
                let (m, n, k) = (37, 29, 45)
                let lda = (transA ? m : k) + 3
                let ldb = (transB ? k : n) + 1
                let a = Tensor.seeded([(transA ? k : m) * lda], seed: 90).values
                let b = Tensor.seeded([(transB ? n : k) * ldb], seed: 91).values
                var c = [Float](repeating: 1, count: m * (n + 2))
                a.withUnsafeBufferPointer { pa in
                    b.withUnsafeBufferPointer { pb in
                        c.withUnsafeMutableBufferPointer { pc in
                            library.sgemm(
                                transA, transB, m, n, k, 2, pa.baseAddress!, lda, pb.baseAddress!, ldb, 0.5,
                                pc.baseAddress!, n + 2)
                        }
                    }
                }
                let expected = MatMulGradientTests.naive(
                    a, b, m: m, n: n, k: k, transA: transA, transB: transB, lda: lda, ldb: ldb)
                for i in 0..<m {
                    for j in 0..<n {
                        let want = 2 * expected[i * n + j] + 0.5
                        #expect(
                            abs(c[i * (n + 2) + j] - want) <= 1e-4 * max(1, abs(want)),
                            "\(library.name) \(transA) \(transB) [\(i), \(j)]")
                    }
                    // The columns beyond n are not C's: untouched.
                    #expect(c[i * (n + 2) + n] == 1 && c[i * (n + 2) + n + 1] == 1, "\(library.name) wrote beyond ldc")
                }
            }
        }
    }

    @Test("a library that does not know the CPU is reported as fallen back, with what to do")
    func fallBack() throws {
        let avx512 = CPUDescription(
            cpuinfo: "model name\t: Test CPU\nflags\t\t: sse2 avx avx2 fma avx512f avx512bw avx512vl\n")
        #expect(avx512.level == .avx512 && avx512.model == "Test CPU")
        for library in Self.installed {
            guard let level = library.kernelLevel else { continue }
            #expect(library.fellBack(on: avx512) == (level < .avx512))
            if level < .avx512 { #expect(library.advice(on: avx512)?.contains("does not know this processor") == true) }
        }
        let old = CPUDescription(cpuinfo: "flags\t\t: sse2 sse4_2\n")
        #expect(old.level == .sse)
        #expect(Self.installed.allSatisfy { !$0.fellBack(on: old) })
    }

    @Test("GLIDN_BLAS naming no backend or no library is an error naming it")
    func badRequests() {
        guard case .failure(let unknown) = BLASLibrary.load("no-such-blas") else {
            Issue.record("an unknown backend loaded")
            return
        }
        #expect(unknown.description.contains("no-such-blas") && unknown.description.contains("onednn"))
        guard case .failure(let missing) = BLASLibrary.load("/nonexistent/libblas.so") else {
            Issue.record("a missing file loaded")
            return
        }
        #expect(missing.description.contains("/nonexistent/libblas.so"))
    }
}
