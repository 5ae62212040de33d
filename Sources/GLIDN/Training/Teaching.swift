import Autograd
import HOIData
import Logging
import NN

/// A frozen teacher beside a student in training: the teacher model, its own view of the
/// student's training clips (index by index the same clips; its features may know more, e.g.
/// how many segments follow), and the scheme by which it teaches. The trainer runs the teacher on
/// each batch without a tape and adds the scheme's terms to the student's loss.
public final class Teaching {
    /// The teachers: one, or K cross-fitted ones (each trained without one part of the
    /// student's training clips; `assignment` says which teaches each clip).
    public let teachers: [GLIDNModel]
    /// Per student training clip, the index of its teacher.
    public let assignment: [Int]
    /// The teacher's view of the student's training clips: its clip `alignment[i]` for the
    /// student's clip i (the same clip, or the whole clip of a prefix).
    public let data: Dataset
    public let alignment: [Int]
    public let scheme: any TeacherScheme
    public let weights: TeacherWeights
    /// The segment the teacher's row for a student's segment s is at: s + shift (1 when the
    /// student's labels are the next segment's).
    public let shift: Int
    /// Where the teacher came from, for the run's metadata and messages.
    public var source: String

    public init(
        teachers: [GLIDNModel], assignment: [Int]? = nil, data: Dataset, alignment: [Int], scheme: any TeacherScheme,
        weights: TeacherWeights, shift: Int, source: String
    ) {
        (self.teachers, self.data, self.alignment, self.scheme, self.weights) = (
            teachers, data, alignment, scheme, weights
        )
        self.assignment = assignment ?? Array(repeating: 0, count: alignment.count)
        (self.shift, self.source) = (shift, source)
    }

    /// The scheme's learned parts, named for the resume file (`teaching.…`).
    public var namedParameters: [(name: String, parameter: Parameter)] { Self.parameters(of: scheme) }

    /// A scheme's learned parts under `teaching.` (the resume file's and the reference files' names).
    public static func parameters(of scheme: any TeacherScheme) -> [(name: String, parameter: Parameter)] {
        scheme.module?.namedParameters().map { (name: "teaching." + $0.name, parameter: $0.parameter) } ?? []
    }

    /// The term names the scheme adds.
    public var termNames: [String] { type(of: scheme).termNames }

    /// The teacher's terms for a batch of the student's training clips at `indices`, whose
    /// forward pass gave `student`.
    func terms(_ student: ModelOutput, indices: [Int], studentBatch: Batch, targets: Targets) throws -> [LossTerm] {
        let batch = try data.batch(indices.map { alignment[$0] })
        let chosen = indices.map { assignment[$0] }
        // Only the teachers of this batch's clips run.
        let used = Set(chosen).sorted()
        let signals = try used.map {
            try Self.signal(teachers[$0], on: batch, student: student, studentBatch: studentBatch, shift: shift)
        }
        let signal = TeacherSignal.merging(signals, chosen: chosen.map { used.firstIndex(of: $0)! })
        return scheme.terms(student, teacher: signal, targets: targets, weights: weights)
    }

    /// What `scheme` adds for a student whose forward pass on `studentBatch` gave `student`,
    /// taught by `teacher` run (without gradients) on its view `batch` of the same clips.
    public static func terms(
        _ scheme: any TeacherScheme, teacher: GLIDNModel, on batch: Batch, student: ModelOutput, studentBatch: Batch,
        targets: Targets, weights: TeacherWeights, shift: Int
    ) throws -> [LossTerm] {
        let signal = try signal(teacher, on: batch, student: student, studentBatch: studentBatch, shift: shift)
        return scheme.terms(student, teacher: signal, targets: targets, weights: weights)
    }

    /// The teacher run on its view `batch` of the student's clips, aligned with the student's rows.
    static func signal(_ teacher: GLIDNModel, on batch: Batch, student: ModelOutput, studentBatch: Batch, shift: Int)
        throws -> TeacherSignal
    {
        guard batch.size == studentBatch.size, batch.segments == studentBatch.segments,
            batch.entities == studentBatch.entities
        else {
            throw TrainingError.invalidOptions(
                "the teacher's clips do not match the student's (\(batch.size) clips of \(batch.segments) segments and \(batch.entities) entities against \(studentBatch.size), \(studentBatch.segments), \(studentBatch.entities))"
            )
        }
        try teacher.check(batch)
        var context = ForwardContext.evaluation
        let output = withoutGradients { teacher(batch, context: &context) }
        return TeacherSignal(
            teacher: output, studentNodes: student.entityMask, task: teacher.config.task, segments: batch.segments,
            entities: batch.entities, shift: shift)
    }
}
