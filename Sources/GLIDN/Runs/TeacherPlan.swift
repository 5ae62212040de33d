import Autograd
import Foundation
import HOIData
import Logging
import NN
import Settings

/// Where a run's teacher comes from (`--teacher`), decided before any training: a checkpoint,
/// loaded now; or `auto`, the recipe of the data's offline task trained into OUTPUT/teacher
/// (or continued there, or found finished) before the student's first epoch.
struct TeacherPlan {
    static let folderName = "teacher"
    /// The metadata key of the student's checkpoints that names its teacher.
    static let metadataKey = "teacher"

    let teaching: Teaching
    /// For `auto`: the teachers' own runs (one, or one per part with `--teacher-folds`), trained
    /// before the student's.
    let runs: [TrainingPlan]

    /// The teacher the options name, or nil for `--teacher none`.
    static func make(
        settings: RunSettings, options: TrainingOptions, student: ModelConfig, data: DataSplits, folder: URL,
        command: String
    ) throws -> TeacherPlan? {
        guard options.teacher != "none" else {
            // (A resumed run's settings hold every value, the defaults too: only a changed one is a mistake.)
            let changed = [
                options.teacherDistill != TrainingSettings.teacherDistill.defaultValue ? "--teacher-distill" : nil,
                options[TrainingSettings.teacherWeight] != TrainingSettings.teacherWeight.defaultValue
                    ? "--teacher-weight" : nil,
                options[TrainingSettings.teacherFeatureWeight] != TrainingSettings.teacherFeatureWeight.defaultValue
                    ? "--teacher-feature-weight" : nil,
                options[TrainingSettings.teacherFolds] != 1 ? "--teacher-folds" : nil,
            ].compactMap { $0 }
            if let option = changed.first {
                throw SettingError("\(option) needs a teacher: add --teacher auto, or --teacher CHECKPOINT")
            }
            return nil
        }
        let task = settings[DataSettings.task] ?? settings.dataset.tasks.first ?? ""
        guard let teacherTask = settings.dataset.teacherTasks[task] else {
            let causal = settings.dataset.teacherTasks.keys.sorted()
            throw SettingError(
                "--teacher: --dataset \(settings.dataset.name) --task \(task) already sees everything a teacher would; "
                    + (causal.isEmpty
                        ? "this data set has no task that sees only part of a video"
                        : "a teacher teaches --task \(causal.joined(separator: " or "))"))
        }
        var dataValues = settings.values.restricted(to: settings.dataset.allSettings)
        var runs: [TrainingPlan] = []
        let teachers: [GLIDNModel]
        let teacherData: DataSplits
        let source: String
        var assignment: [Int]?
        let folds = options[TrainingSettings.teacherFolds]
        if options.teacher == "auto" {
            dataValues[DataSettings.task] = teacherTask
            var given = dataValues
            given[TrainingSettings.seed] = options.seed
            given[TrainingSettings.epochs] = options.epochs
            let teacherSettings = try RunSettings(given: given)
            // The teacher's view of the data, read once for all its runs.
            let loaded = try LoadedData(teacherSettings.data)
            // Which training clips each cross-fitted teacher leaves out, worked out once.
            let partition = folds == 1 ? nil : try TrainingPartition(of: loaded.splits.train, count: folds)
            // One teacher into OUTPUT/teacher; K cross-fitted ones into OUTPUT/teacher-1 … teacher-K.
            for k in 0..<folds {
                let teacherFolder = folder.appendingPathComponent(folds == 1 ? folderName : "\(folderName)-\(k + 1)")
                let resume = !TrainingPlan.runFiles(in: teacherFolder).isEmpty
                runs.append(
                    try TrainingPlan(
                        settings: teacherSettings, output: teacherFolder, resume: resume,
                        command: command + " (its teacher)",
                        leavingOut: partition?.part(k), loaded: loaded))
            }
            teachers = try runs.map { try GLIDNModel(config: $0.config, seed: options.seed) }
            teacherData = loaded.splits
            source =
                "auto: "
                + runs.map { $0.folder.appendingPathComponent(TrainingRun.bestFile).path }.joined(
                    separator: ", ")
            if let partition {
                assignment = try (0..<data.train.count).map {
                    partition.ofWholeClip[try data.train.clip(at: $0).wholeClipID] ?? 0
                }
            }
        } else {
            guard folds == 1 else {
                throw SettingError("--teacher-folds trains cross-fitted teachers: it needs --teacher auto")
            }
            let url = URL(fileURLWithPath: options.teacher)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw SettingError("--teacher \(options.teacher): no such checkpoint (or auto, or none)")
            }
            let (model, metadata) = try ModelCheckpoint.load(url)
            let stored = StoredData.settings(in: metadata)
            if let stored, stored[DataSettings.dataset] != settings[DataSettings.dataset] {
                throw SettingError(
                    "--teacher \(url.path) was trained on --dataset \(stored[DataSettings.dataset]); the student's is \(settings[DataSettings.dataset])"
                )
            }
            dataValues[DataSettings.task] = stored?[DataSettings.task] ?? teacherTask
            if let stored, stored[DataSettings.fold] != settings[DataSettings.fold] {
                Logger(label: "glidn.teacher").warning(
                    "--teacher \(url.path) was trained with --fold \(stored.text(DataSettings.fold)), the student with --fold \(settings.values.text(DataSettings.fold)): the teacher may have seen the clips the student is scored on"
                )
            }
            teachers = [model]
            teacherData = try DataRequest(dataValues).load()
            source = url.path
        }
        let alignment = try Self.alignment(student: data.train, teacher: teacherData.train)
        let teacherConfig = teachers[0].config
        guard teacherConfig.task == student.task, teacherConfig.classCounts == student.classCounts else {
            throw SettingError(
                "--teacher: the teacher predicts \(teacherConfig.classCounts) (\(teacherConfig.task.rawValue)), the student \(student.classCounts)"
            )
        }
        let scheme = try Catalogues.teacherSchemes.lookUp(options.teacherDistill)
        var generator = SeededGenerator(seed: options.seed, streams: [0, 9])
        let teaching = Teaching(
            teachers: teachers, assignment: assignment, data: teacherData.train, alignment: alignment,
            scheme: try scheme.init(student: student, teacher: teacherConfig, generator: &generator),
            weights: TeacherWeights(
                logits: options[TrainingSettings.teacherWeight],
                features: options[TrainingSettings.teacherFeatureWeight],
                tau: student.tau),
            shift: data.info.labelsOfNextSegment == true ? 1 : 0, source: source)
        return TeacherPlan(teaching: teaching, runs: runs)
    }

    /// For each of the student's training clips, the teacher's training clip of the same whole
    /// clip (the clip itself; for a prefix, its whole clip), which must have its segments and entities.
    static func alignment(student: Dataset, teacher: Dataset) throws -> [Int] {
        var index: [String: Int] = [:]
        for i in 0..<teacher.count { index[try teacher.clip(at: i).id] = i }
        return try (0..<student.count).map { i in
            let clip = try student.clip(at: i)
            guard let j = index[clip.wholeClipID] else {
                throw SettingError(
                    "--teacher: the student's training clip \(clip.wholeClipID) is not among the teacher's \(teacher.count) training clips; both must see the same clips"
                )
            }
            let other = try teacher.clip(at: j)
            guard other.segments == clip.segments, other.entities == clip.entities else {
                throw SettingError(
                    "--teacher: clip \(clip.wholeClipID) has \(other.segments) segments and \(other.entities) entities for the teacher, \(clip.segments) and \(clip.entities) for the student"
                )
            }
            return j
        }
    }

    /// Trains the `auto` teachers that are not finished, then loads their best checkpoints.
    func prepare(observer: TrainingObserver?, shouldStop: @escaping () -> Bool) throws {
        guard !runs.isEmpty else { return }
        var named: [String] = []
        for (run, teacher) in zip(runs, teaching.teachers) {
            _ = try run.train(observer: observer, shouldStop: shouldStop)
            // One read: the weights go into the teacher built for them, the identity comes from the bytes read.
            let url = run.folder.appendingPathComponent(TrainingRun.bestFile)
            let (file, read) = try InputFile.recording { try SafeTensorsFile.read(contentsOf: url) }
            try teacher.load(try file.tensors(), source: url.path)
            named.append("\(url.path) (CRC-32C \(read.first?.crc32c ?? "?"))")
        }
        teaching.source = "auto: " + named.joined(separator: ", ")
    }
}
