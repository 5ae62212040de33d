import Autograd
import Foundation
import GLIDN
import Testing

@Suite("The speed benchmark and its profiler")
struct BenchmarkTests {
    /// The cad120 workload shrunk to a few frames and entities, so that the test is quick.
    static var small: BenchmarkWorkload {
        var w = BenchmarkWorkload.named(.cad120)
        (w.batch, w.frames, w.entities) = (4, 3, 3)
        return w
    }

    @Test("a run reports its steps, times, floor and the JSON keys that scripts read; the profile names the ops")
    func run() throws {
        let r = try StepBenchmark.run(Self.small, steps: 4, warmup: 1, warmupSeconds: 0, profile: true)
        #expect(r.steps == 4 && r.msPerStepMin > 0 && r.msPerStepMin <= r.msPerStepMedian)
        #expect(r.gemmGigaflops > 0 && r.gemmFloorMilliseconds > 0 && r.peakRSSMegabytes > 0)
        #expect(Set(r.phases.keys) == ["forward", "losses", "backward", "update"])
        let object = try JSONSerialization.jsonObject(with: Data(TrainingRun.json(r).utf8)) as? [String: Any]
        for key in [
            "workload", "ms_per_step_median", "ms_per_step_min", "clips_per_s", "peak_rss_mb", "profile",
            "blas_kernels", "kernels_compiled_for",
        ] {
            #expect(object?[key] != nil, "\(key)")
        }
        #expect(r.kernelsCompiledFor == CompiledKernels.summary)
        let ops = try #require(r.profile)
        // Two local and two global attention layers, every step.
        let attention = ops.filter { $0.op.hasPrefix("NN/GraphAttentionKernel.swift apply(…)") }
        #expect(attention.map(\.callsPerStep).reduce(0, +) == 4)
        #expect(attention.allSatisfy { $0.forwardMilliseconds > 0 && $0.backwardMilliseconds > 0 })
        #expect(
            zip(ops, ops.dropFirst()).allSatisfy {
                $0.forwardMilliseconds + $0.backwardMilliseconds >= $1.forwardMilliseconds + $1.backwardMilliseconds
            })
        let plain = try StepBenchmark.run(Self.small, steps: 2, warmup: 0, warmupSeconds: 0)
        #expect(plain.profile == nil)
    }

    @Test("the profiler charges each recorded op once per call and is gone afterwards")
    func profiler() {
        let x = Tensor(shape: [2, 3], repeating: 0.5).requiringGrad()
        let (_, entries) = OpProfiler.profiling {
            for _ in 0..<3 { (x.relu() * 2).sum().backward() }
        }
        let byFunction = Dictionary(grouping: entries, by: \.site.function)
        #expect(byFunction["relu()"]?.first?.calls == 3)
        #expect(byFunction["sum()"]?.first?.calls == 3)
        #expect(byFunction["relu()"]?.first?.site.shape == [2, 3])
        let (_, none) = OpProfiler.profiling {}
        #expect(none.isEmpty)
        (x.relu()).sum().backward()  // recording without a profiler installed
        #expect(x.grad != nil)
    }
}
