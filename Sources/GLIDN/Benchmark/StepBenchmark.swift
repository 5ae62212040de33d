import Autograd
import Foundation
import HOIData
import NN

#if canImport(Glibc)
    import Glibc
#endif

/// Times training (or inference) steps of a workload: warm-up steps first, then the
/// measured ones. One training step = forward, all losses, backward, clipping, AdamW.
public enum StepBenchmark {
    public struct Result: Codable, Sendable {
        public let workload: String
        public let mode: String
        public let batch: Int
        public let frames: Int
        public let entities: Int
        public let steps: Int
        public let msPerStepMedian: Double
        public let msPerStepMin: Double
        public let clipsPerSecond: Double
        public let peakRSSMegabytes: Double
        /// Median milliseconds of each phase of a training step: forward, losses, backward, update.
        public let phases: [String: Double]
        /// Matrix-product work of one step and the time the same products take alone.
        public let gemmGigaflops: Double
        public let gemmFloorMilliseconds: Double
        /// Per-op times of a separate profiled run, costliest first (when asked for).
        public let profile: [ProfiledOp]?
        /// The BLAS library and its kernels, and the CPU (`BLASLibrary`, `CPUDescription`).
        public let blas: String
        public let blasKernels: String
        public let cpu: String
        /// The vector instructions the build's own kernels were compiled for (`CompiledKernels`).
        public let kernelsCompiledFor: String
        public let threads: Int

        enum CodingKeys: String, CodingKey {
            case workload, mode, batch, frames, entities, steps, phases, profile, blas, cpu, threads
            case blasKernels = "blas_kernels"
            case kernelsCompiledFor = "kernels_compiled_for"
            case gemmGigaflops = "gemm_gflop"
            case gemmFloorMilliseconds = "gemm_floor_ms"
            case msPerStepMedian = "ms_per_step_median"
            case msPerStepMin = "ms_per_step_min"
            case clipsPerSecond = "clips_per_s"
            case peakRSSMegabytes = "peak_rss_mb"
        }
    }

    /// Warm-up lasts `warmup` steps and at least `warmupSeconds`: on the two-core virtual
    /// machine this was built on, the second core sometimes ran at a fraction of its speed
    /// for the first ~60 ms of a process (ten cad120 steps at one-thread speed, then full
    /// speed for good), and three 3.5 ms steps did not cover that.
    /// With `profile`, `steps` more steps run under an `OpProfiler` after the timed ones (the
    /// profiler's own cost stays out of the timings).
    public static func run(
        _ workload: BenchmarkWorkload, steps: Int = 20, warmup: Int = 3, warmupSeconds: Double = 0.25,
        inference: Bool = false, profile: Bool = false
    ) throws -> Result {
        let model = try GLIDNModel(config: workload.config, seed: 0)
        let trainer = try Trainer(model: model, options: workload.training, trainingClips: workload.batch)
        let batch = workload.randomBatch(seed: 1)
        var context =
            inference ? ForwardContext.evaluation : ForwardContext.training(generator: SeededGenerator(seed: 2))
        let timer = PhaseTimer()
        func step(timed: Bool = true) throws -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            if inference {
                let output = withoutGradients { model(batch, context: &context) }
                _ = output.logits
            } else {
                try trainer.step(batch, context: &context, epoch: 1, timer: timed ? timer : nil)
            }
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        }
        let warmupStart = DispatchTime.now().uptimeNanoseconds
        var warmed = 0
        while warmed < warmup || Double(DispatchTime.now().uptimeNanoseconds - warmupStart) / 1e9 < warmupSeconds {
            _ = try step()
            warmed += 1
        }
        timer.reset()
        let times = try (0..<steps).map { _ in try step() }
        let median = Self.median(times)
        // The steps' own peak, read before the floor's scratch matrices (as large as the
        // biggest product's inputs) are allocated.
        let peakRSS = peakResidentMegabytes()
        var profiled: [ProfiledOp]?
        if profile {
            let (_, entries) = try OpProfiler.profiling {
                for _ in 0..<steps {
                    OpProfiler.restartClock()
                    _ = try step(timed: false)  // the phase times are the timed steps' only
                }
            }
            profiled = entries.map { ProfiledOp($0, steps: steps) }
        }
        // The floor: the same matrix products, timed alone.
        let (_, calls) = try GemmRecorder.recording { try step(timed: false) }
        var shapeTimes: [GemmRecorder.Call: Double] = [:]
        for call in Set(calls) { shapeTimes[call] = GemmRecorder.time(call) }
        let floor = calls.reduce(0) { $0 + shapeTimes[$1]! }
        return Result(
            workload: workload.name.rawValue, mode: inference ? "inference" : "training", batch: workload.batch,
            frames: workload.frames, entities: workload.entities, steps: steps, msPerStepMedian: median,
            msPerStepMin: times.min() ?? 0, clipsPerSecond: Double(workload.batch) * 1000 / median,
            peakRSSMegabytes: peakRSS, phases: timer.laps.mapValues(Self.median),
            gemmGigaflops: calls.reduce(0) { $0 + $1.flops } / 1e9, gemmFloorMilliseconds: floor, profile: profiled,
            blas: BLAS.library.name, blasKernels: BLAS.library.kernels, cpu: CPUDescription.current.summary,
            kernelsCompiledFor: CompiledKernels.summary, threads: Parallel.workers)
    }

    static func median(_ values: [Double]) -> Double {
        let v = values.sorted()
        guard !v.isEmpty else { return 0 }
        return v.count % 2 == 1 ? v[v.count / 2] : (v[v.count / 2 - 1] + v[v.count / 2]) / 2
    }

    /// The process's peak resident set size.
    public static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        #if os(Linux)
            getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
            getrusage(RUSAGE_SELF, &usage)
        #endif
        #if os(Linux)
            return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
        #else
            return Double(usage.ru_maxrss) / 1_048_576  // bytes on macOS
        #endif
    }
}
