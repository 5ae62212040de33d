// Train, evaluate and predict through the library alone, as a server, a notebook or another
// Swift program would (docs/LIBRARY.md). `make test` builds and runs it.
import Foundation
import GLIDN
import HOIData
import Settings

// Settings are the declared ones (`DataSettings`, `ModelSettings`, `TrainingSettings`, a data
// set's own); a program sets their values, or reads them from command-line words.
var given = try RunSettings.parse(["--epochs", "3", "--hidden", "16"], groups: .all)
given[SyntheticDataset.trainClips] = 96
given[SyntheticDataset.validationClips] = 24
given[SyntheticDataset.testClips] = 24
given[TrainingSettings.batchSize] = 16

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("glidn-example-\(getpid())")
defer { try? FileManager.default.removeItem(at: folder) }

// Train: the plan decides everything first (data, model, folder); `train` runs it.
let plan = try TrainingPlan(settings: try RunSettings(given: given), output: folder)
let outcome = try plan.train()
print(
    "trained \(plan.config.variant.rawValue) for \(outcome.completedEpochs) epochs; best epoch \(outcome.bestEpoch ?? 0), "
        + "validation \(outcome.metricName) \(String(format: "%.2f", outcome.bestMetric ?? 0))")

// Evaluate the best checkpoint on the data it was trained for (its test clips).
let checkpoint = try CheckpointScoring(outcome.checkpoint)
let data = try checkpoint.data(given: SettingValues())
let splits = data.splits
let heldOut = try data.choose(nil)  // the held-out part: here, the test split
let (evaluation, predictions) = try Evaluator.run(checkpoint.model, on: heldOut.clips)
print("test mAP \(String(format: "%.2f", evaluation.metrics["mAP"] ?? .nan)) on \(evaluation.clips) clips")

// Predict: the top classes of the first test clip.
let top = PredictionWriter(info: splits.info, top: 3).best(predictions.videoScores[0], names: splits.info.classNames)
print(
    "\(predictions.clipIDs[0]): " + top.map { "\($0.name) \(String(format: "%.3f", $0.score))" }.joined(separator: ", ")
)
