import ArgumentParser
import Autograd
import Foundation
import GLIDN

extension BenchmarkWorkload.Name: ExpressibleByArgument {}

/// `glidn bench`: the speed workloads of docs/BENCHMARKS.md.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time training (or inference) steps of the cad120 or charades workload of docs/BENCHMARKS.md.")

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

    @Option(help: "Clips per batch (default: the workload's, 16); e.g. 1 and 64 for inference throughput.")
    var batch: Int?

    @Option(help: "Also time the workload at several numbers of frames or entities, to show how the cost grows.")
    var sweep: Sweep?

    @Option(
        help:
            "Time online updates instead: a video of this many segments (--workload's frames each) streamed segment by segment, beside recomputing the whole prefix at each segment."
    )
    var online: Int?

    @Flag(help: "Print one JSON object on the last line.")
    var json = false

    @Flag(help: "Also time each op of the step, in a separate run of --steps steps, and list where the time goes.")
    var profile = false

    func validate() throws {
        guard steps >= 1, warmup >= 0, warmupSeconds >= 0 else {
            throw ValidationError("--steps must be at least 1, --warmup and --warmup-seconds at least 0")
        }
        if let batch, !(1...4096).contains(batch) { throw ValidationError("--batch must lie in 1…4096, got \(batch)") }
        if let online, !(1...1000).contains(online) {
            throw ValidationError("--online must lie in 1…1000 segments, got \(online)")
        }
    }

    func run() throws {
        var base = BenchmarkWorkload.named(workload)
        if let batch { base.batch = batch }
        print("\(BLAS.library.runSummary); \(Parallel.workers) threads")
        for warning in BLASLibrary.speedWarnings { print("warning: \(warning)") }
        if let online { return try runOnline(base, segments: online) }
        var points: [BenchmarkWorkload] = [base]
        switch sweep {
        case .frames?:
            points = [base.frames / 4, base.frames / 2, base.frames, base.frames * 2].map {
                var w = base
                w.frames = max($0, 1)
                return w
            }
        case .entities?:
            points = [2, base.entities / 2, base.entities, base.entities * 2].map {
                var w = base
                w.entities = max($0, 1)
                return w
            }
        case nil: break
        }
        var last: StepBenchmark.Result?
        for w in points {
            let r = try StepBenchmark.run(
                w, steps: steps, warmup: warmup, warmupSeconds: warmupSeconds, inference: inference,
                profile: profile)
            print(
                String(
                    format:
                        "%@ %@ B=%d T=%d N=%d: median %.2f ms/step, min %.2f ms/step, %.1f clips/s, peak RSS %.0f MB",
                    r.workload, r.mode, r.batch, r.frames, r.entities, r.msPerStepMedian, r.msPerStepMin,
                    r.clipsPerSecond, r.peakRSSMegabytes)
                    + (r.phases.isEmpty
                        ? ""
                        : "  ("
                            + ["forward", "losses", "backward", "update"].map {
                                String(format: "%@ %.2f", $0, r.phases[$0] ?? 0)
                            }.joined(separator: ", ") + " ms)"))
            print(
                String(
                    format:
                        "  matrix products: %.2f GFLOP per step, %.2f ms when timed alone (%.0f GFLOP/s); the step takes %.2f× that floor",
                    r.gemmGigaflops, r.gemmFloorMilliseconds,
                    r.gemmGigaflops / max(r.gemmFloorMilliseconds, 1e-9) * 1000,
                    r.msPerStepMedian / max(r.gemmFloorMilliseconds, 1e-9)))
            if let ops = r.profile { printProfile(ops) }
            if w.frames == base.frames && w.entities == base.entities { last = r }
        }
        if json, let last { print(TrainingRun.json(last)) }
    }

    /// `--online S`: per segment, the streamed update and the prefix recomputed, in ms.
    private func runOnline(_ workload: BenchmarkWorkload, segments: Int) throws {
        let r = try OnlineBenchmark.run(workload, segments: segments, repeats: steps)
        print(
            "\(workload.name.rawValue) online, \(workload.frames) frames and \(workload.entities) entities per segment, median of \(steps) videos:"
        )
        print("  segment  update (streamed)  whole prefix again")
        for s in 0..<segments {
            print(String(format: "  %7d  %14.3f ms  %15.3f ms", s + 1, r.streaming[s] * 1000, r.recomputing[s] * 1000))
        }
        let (first, last) = (r.streaming[0], r.streaming[segments - 1])
        print(
            String(
                format: "  segment %d / segment 1: streamed %.2f×, recomputed %.2f×", segments, last / first,
                r.recomputing[segments - 1] / r.recomputing[0]))
        if json {
            print(
                TrainingRun.json([
                    "streaming_ms": r.streaming.map { $0 * 1000 }, "recomputing_ms": r.recomputing.map { $0 * 1000 },
                ]))
        }
    }

    /// The ops that take 1 % of the profiled time or more, costliest first, and the rest summed.
    private func printProfile(_ ops: [ProfiledOp]) {
        let total = ops.reduce(0) { $0 + $1.forwardMilliseconds + $1.backwardMilliseconds }
        print(
            String(
                format:
                    "  per op, ms per step (%.2f ms charged to taped ops; the rest of a step is the update and bookkeeping;",
                total))
        print("  an op's forward time is the time since the op before it was recorded):")
        print("   forward  backward  calls  op")
        var rest = (0.0, 0.0, 0)
        for op in ops {
            guard op.forwardMilliseconds + op.backwardMilliseconds >= 0.01 * total else {
                rest = (rest.0 + op.forwardMilliseconds, rest.1 + op.backwardMilliseconds, rest.2 + 1)
                continue
            }
            print(
                String(
                    format: "  %8.3f  %8.3f  %5.1f  %@", op.forwardMilliseconds, op.backwardMilliseconds,
                    op.callsPerStep, op.op))
        }
        if rest.2 > 0 { print(String(format: "  %8.3f  %8.3f         %d smaller ops", rest.0, rest.1, rest.2)) }
    }
}
