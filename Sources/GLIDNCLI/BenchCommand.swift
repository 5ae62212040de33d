import ArgumentParser
import Foundation
import GLIDN

extension BenchmarkWorkload.Name: ExpressibleByArgument {}

/// `glidn bench`: the speed workloads of BENCHMARKS.md.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time training (or inference) steps of the cad120 or charades workload of BENCHMARKS.md.")

    enum Sweep: String, ExpressibleByArgument { case frames, entities }

    @Option(help: "Workload: cad120 or charades.")
    var workload: BenchmarkWorkload.Name

    @Option(help: "Measured steps (after the warm-up steps).")
    var steps = 20

    @Option(help: "Warm-up steps, not measured.")
    var warmup = 3

    @Option(help: "Minimum warm-up time in seconds (warm-up runs until both are reached).")
    var warmupSeconds = 0.25

    @Flag(help: "Forward passes only, without recording gradients.")
    var inference = false

    @Option(help: "Also time the workload at several numbers of frames or entities, to show how the cost grows.")
    var sweep: Sweep?

    @Flag(help: "Print one JSON object on the last line.")
    var json = false

    func validate() throws {
        guard steps >= 1, warmup >= 0, warmupSeconds >= 0 else {
            throw ValidationError("--steps must be at least 1, --warmup and --warmup-seconds at least 0")
        }
    }

    func run() throws {
        let base = BenchmarkWorkload.named(workload)
        var points: [BenchmarkWorkload] = [base]
        switch sweep {
        case .frames?: points = [base.frames / 4, base.frames / 2, base.frames, base.frames * 2].map { var w = base; w.frames = max($0, 1); return w }
        case .entities?: points = [2, base.entities / 2, base.entities, base.entities * 2].map { var w = base; w.entities = max($0, 1); return w }
        case nil: break
        }
        var last: StepBenchmark.Result?
        for w in points {
            let r = try StepBenchmark.run(w, steps: steps, warmup: warmup, warmupSeconds: warmupSeconds, inference: inference)
            print(String(format: "%@ %@ B=%d T=%d N=%d: median %.2f ms/step, min %.2f ms/step, %.1f clips/s, peak RSS %.0f MB",
                         r.workload, r.mode, r.batch, r.frames, r.entities, r.msPerStepMedian, r.msPerStepMin, r.clipsPerSecond, r.peakRSSMegabytes)
                  + (r.phases.isEmpty ? "" : "  (" + ["forward", "losses", "backward", "update"].map { String(format: "%@ %.2f", $0, r.phases[$0] ?? 0) }.joined(separator: ", ") + " ms)"))
            print(String(format: "  matrix products: %.2f GFLOP per step, %.2f ms when timed alone (%.0f GFLOP/s); the step takes %.2f× that floor",
                         r.gemmGigaflops, r.gemmFloorMilliseconds, r.gemmGigaflops / max(r.gemmFloorMilliseconds, 1e-9) * 1000,
                         r.msPerStepMedian / max(r.gemmFloorMilliseconds, 1e-9)))
            if w.frames == base.frames && w.entities == base.entities { last = r }
        }
        if json, let last { print(TrainingRun.json(last)) }
    }
}
