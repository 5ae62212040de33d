import Autograd
import Foundation
import HOIData
import Logging
import NN
import Settings

/// One training run to make, everything decided before any work: the settings (given over the
/// data set's recipe, or a stopped run's own when resuming), the folder, the data, the model.
/// `train` runs it; the command line prints what it returns.
///
///     let settings = try RunSettings(given: SettingParser.parse(["--epochs", "3"], settings: …))
///     let plan = try TrainingPlan(settings: settings, output: URL(fileURLWithPath: "runs/demo"))
///     let outcome = try plan.train()
public final class TrainingPlan {
    public let settings: RunSettings
    public let folder: URL
    public let data: DataSplits
    public let config: ModelConfig
    public let options: TrainingOptions
    public let model: GLIDNModel
    public let run: TrainingRun
    /// The folder's lock, held while the plan lives: one writer per run folder.
    public let lock: RunFolderLock
    /// When resuming: where the stopped run stands and how the schedule changes.
    public private(set) var resumeSummary: String?
    /// The teacher, when `--teacher` names one.
    let teacher: TeacherPlan?

    /// The teacher's model and how it teaches, when the run has one.
    public var teaching: Teaching? { teacher?.teaching }
    /// The `auto` teachers' own runs, trained first.
    public var teacherRuns: [TrainingPlan] { teacher?.runs ?? [] }

    /// The names of the loss terms the progress lines show: the objective's, the teacher's, `total`.
    public var termNames: [String] {
        let objective = model.objective.termNames
        return objective.dropLast() + (teaching?.termNames ?? []) + objective.suffix(1)
    }

    /// What a finished run achieved.
    public struct Outcome: Sendable {
        public let bestEpoch: Int?
        public let bestMetric: Double?
        /// The headline metric's name (`mAP`, `mean_f1`).
        public let metricName: String
        public let completedEpochs: Int
        public let stoppedEarly: Bool
        public let hadValidation: Bool
        /// With `--fusion validation`: the local weight chosen and each weight's validation score.
        public let chosenFusionWeight: Float?
        public let fusionScores: [(weight: Float, score: Double)]
        public let checkpoint: URL
    }

    /// The folder a run goes to without `--output`: runs/<dataset>-<variant>-<distillation>.
    public static func defaultFolder(_ settings: RunSettings) -> URL {
        let variant = settings[ModelSettings.variant]
        let distill = variant == .glidn ? settings[ModelSettings.distill] : NoDistillation.name
        return URL(fileURLWithPath: "runs/\(settings[DataSettings.dataset])-\(variant.rawValue)-\(distill)")
    }

    /// A new run (`resume` false) into `output`, or the stopped run in `output` continued with
    /// its stored settings (`resume` true; `settings.given` may only repeat them, or extend
    /// `--epochs`). The folder is locked first (`RunFolderLock`): a folder another run is
    /// writing is refused. A folder that already holds a run is refused unless resuming, or
    /// `overwrite`, which removes the old run's files (and only those) first. A resume refuses
    /// data files that changed since the run began (`acceptChangedData` continues on them).
    public convenience init(
        settings given: RunSettings, output: URL?, resume: Bool = false, overwrite: Bool = false,
        acceptChangedData: Bool = false, command: String = "glidn train", leavingOut part: TrainingPart? = nil
    ) throws {
        try self.init(
            settings: given, output: output, resume: resume, overwrite: overwrite, acceptChangedData: acceptChangedData,
            command: command, leavingOut: part, loaded: nil)
    }

    /// As above; `loaded` is the data when it was loaded already (used when the run's data
    /// request is the one it was loaded for).
    init(
        settings given: RunSettings, output: URL?, resume: Bool = false, overwrite: Bool = false,
        acceptChangedData: Bool = false, command: String, leavingOut part: TrainingPart?, loaded: LoadedData?
    ) throws {
        let folder = output ?? Self.defaultFolder(given)
        lock = try RunFolderLock(folder, command: command)
        if !resume {
            let previous = Self.runFiles(in: folder)
            if !previous.isEmpty && !overwrite {
                throw SettingError(
                    "\(folder.path) already holds a run (\(previous.count) of its files): pass --resume to continue it, --overwrite to replace it, or choose another --output"
                )
            }
            for name in previous { try FileManager.default.removeItem(at: folder.appendingPathComponent(name)) }
        }
        var settings = given
        var storedRun: TrainingRun.Stored?
        if resume {
            let stored = try TrainingRun.stored(in: folder)
            settings = try stored.resumed(with: given.given, folder: folder)
            storedRun = stored
        }
        let read = try loaded?.reused(for: settings.data) ?? LoadedData(settings.data)
        var (data, files) = (read.splits, read.files)
        if let part { data = try part.leftOut(of: data) }
        if let storedRun, !acceptChangedData {
            let changed = StoredData.changes(stored: StoredData.files(in: storedRun.metadata), now: files)
            guard changed.isEmpty else {
                throw SettingError(
                    "the data changed since the run in \(folder.path) began: " + changed.joined(separator: "; ")
                        + ". Resuming would train on other data; pass --accept-changed-data to continue on it anyway")
            }
        }
        var config = try storedRun?.config ?? settings.modelConfig(for: data.info)
        let options =
            storedRun.map { s in s.options.with { $0.epochs = settings[TrainingSettings.epochs] } } ?? settings.training
        do { try options.validate() } catch { throw error }
        if storedRun == nil, let weight = options.fusion.localWeight { config.fusionWeight = weight }
        let model = try GLIDNModel(config: config, seed: options.seed)
        try MemoryEstimate.check(
            parameters: model.parameterCount, batchSize: options.batchSize,
            frames: data.train.count > 0 ? try data.train.clip(at: 0).frames : 1, hidden: config.hidden)
        let teacher = try TeacherPlan.make(
            settings: settings, options: options, student: config, data: data, folder: folder, command: command)
        let trainer = try Trainer(
            model: model, options: options, trainingClips: data.train.count, teaching: teacher?.teaching)
        let run = TrainingRun(trainer: trainer, output: folder, dataInfo: data.info, dataDescription: data.description)
        self.teacher = teacher
        if let teacher { run.metadata[TeacherPlan.metadataKey] = teacher.teaching.source }
        run.metadata[StoredData.metadataKey] = StoredData.json(settings.data)
        run.metadata[StoredData.filesKey] = StoredData.filesJSON(files)
        (self.settings, self.folder, self.data, self.config, self.options) = (settings, folder, data, config, options)
        (self.model, self.run) = (model, run)
        if let storedRun {
            try run.restore()
            resumeSummary = storedRun.summary(
                completed: run.completedEpochs, epochs: options.epochs,
                stepsPerEpoch: trainer.stepsPerEpoch, schedule: options.schedule)
            if let position = run.position {
                resumeSummary! +=
                    "; epoch \(position.epoch) continues after its step \(position.batchesDone) of \(trainer.stepsPerEpoch)"
            }
        }
    }

    /// The files of a run in `folder`: what `overwrite` removes.
    public static func runFiles(in folder: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter {
            [TrainingRun.bestFile, TrainingRun.resumeFile, TrainingRun.metricsFile].contains($0)
                || ($0.hasPrefix("epoch-") && $0.hasSuffix(".safetensors"))
        }.sorted()
    }

    /// Trains the remaining epochs, chooses the fusion weight when asked, and says what came of it.
    /// `shouldStop`, asked after every step, interrupts the run cleanly (`TrainingRun.Interrupted`).
    /// An `auto` teacher trains first (reported to `teacherObserver`); the student's resume file is
    /// written before it, so that `--resume` after an interruption finds the run.
    public func train(
        observer: TrainingObserver? = nil, teacherObserver: TrainingObserver? = nil,
        shouldStop: @escaping () -> Bool = { false }
    ) throws -> Outcome {
        if let teacher {
            if !teacher.runs.isEmpty && run.completedEpochs == 0 && run.position == nil { try run.saveResumeState() }
            try teacher.prepare(observer: teacherObserver, shouldStop: shouldStop)
            run.metadata[TeacherPlan.metadataKey] = teacher.teaching.source
        }
        try run.run(
            train: data.train, validation: data.validation, orderPairs: data.info.orderPairs, observer: observer,
            shouldStop: shouldStop)
        var chosen: Float?
        var scores: [(weight: Float, score: Double)] = []
        if options.fusion == .validation, let validation = data.validation, config.variant == .glidn {
            scores = try run.chooseFusion(on: validation, orderPairs: data.info.orderPairs)
            chosen =
                scores.max { a, b in
                    a.score < b.score || (a.score == b.score && abs(a.weight - 0.5) > abs(b.weight - 0.5))
                }?.weight
        }
        return Outcome(
            bestEpoch: run.bestEpoch, bestMetric: run.bestMetric, metricName: Evaluation.headlineName(config.task),
            completedEpochs: run.completedEpochs, stoppedEarly: run.stoppedEarly, hadValidation: data.validation != nil,
            chosenFusionWeight: chosen, fusionScores: scores,
            checkpoint: folder.appendingPathComponent(TrainingRun.bestFile))
    }
}

extension TrainingRun {
    /// What a stopped run in a folder was, read from its resume file.
    public struct Stored {
        public let config: ModelConfig
        public let options: TrainingOptions
        public let metadata: [String: String]

        /// The settings to continue the run with: its own. `given` values must agree with them,
        /// but for a larger `--epochs`, which extends the run; a conflict names each option.
        func resumed(with given: SettingValues, folder: URL) throws -> RunSettings {
            // Runs written before the data settings were stored: the settings given describe the data.
            let storedData =
                StoredData.settings(in: metadata) ?? given.restricted(to: DataSettings.sources + DataSettings.split)
            let provider = try Catalogues.datasets.lookUp(storedData[DataSettings.dataset])
            var conflicts: [String] = []
            for s in provider.allSettings where given.isGiven(s.name) && !StoredData.sameValue(given, storedData, s) {
                conflicts.append("\(s.option) \(given.text(s)) (the stored run: \(storedData.text(s)))")
            }
            for s in ModelSettings.all where given.isGiven(s.name) && given.text(s) != config.settings.text(s) {
                conflicts.append("\(s.option) \(given.text(s)) (the stored run: \(config.settings.text(s)))")
            }
            for s in TrainingSettings.all
            where s.name != TrainingSettings.epochs.name && given.isGiven(s.name)
                && given.text(s) != options.settings.text(s)
            {
                conflicts.append("\(s.option) \(given.text(s)) (the stored run: \(options.settings.text(s)))")
            }
            guard conflicts.isEmpty else {
                throw SettingError(
                    "--resume continues the run in \(folder.path) with its stored settings; these given options conflict with it: "
                        + conflicts.joined(separator: "; ") + ". Leave them out, or train into another --output.")
            }
            let epochs = given.given(TrainingSettings.epochs) ?? options.epochs
            guard epochs >= options.epochs else {
                throw SettingError(
                    "--epochs \(epochs) is fewer than the stored run's \(options.epochs): a run can be extended, not shortened (its best.safetensors and epoch checkpoints are kept)"
                )
            }
            var values = storedData.over(config.settings).over(options.settings)
            values[TrainingSettings.epochs] = epochs
            return try RunSettings(given: values)
        }

        /// What resuming does, for the user: where the run stands and how a longer run changes the schedule.
        func summary(completed: Int, epochs: Int, stepsPerEpoch: Int, schedule: TrainingOptions.ScheduleKind) -> String
        {
            var text = "resuming after epoch \(completed) of \(epochs) with the stored settings"
            if epochs > options.epochs {
                text +=
                    "; extended from \(options.epochs) to \(epochs) epochs: the \(schedule.rawValue) learning-rate schedule now spans \(epochs) epochs"
                if schedule == .cosine {
                    text +=
                        " (epochs 1–\(completed) followed the \(options.epochs)-epoch schedule; from step \(completed * stepsPerEpoch + 1) the rate follows the longer one)"
                }
            }
            return text
        }
    }
}

extension TrainingOptions {
    /// The same, with `change` applied.
    public func with(_ change: (inout TrainingOptions) -> Void) -> TrainingOptions {
        var copy = self
        change(&copy)
        return copy
    }
}
