import Autograd
import HOIData
import NN
import Settings

/// How a teacher that has seen the whole video teaches a causal student (online detection,
/// anticipation, prefixes): the loss terms it adds to the student's own. One type per scheme,
/// listed once in `Catalogues.teacherSchemes`; its name is the `--teacher-distill` value, its
/// term names are keys of `metrics.jsonl`. Unlike `DistillationScheme` (between the two graphs of
/// one model), the teacher is another, frozen model; what it says arrives as a `TeacherSignal`
/// already aligned row by row with the student's rows.
public protocol TeacherScheme: Named {
    /// The names of the terms `terms` returns, in order.
    static var termNames: [String] { get }

    /// A scheme for a student of `student` taught by a teacher of `teacher`; learned parts draw
    /// their initial weights from `generator`. Throws when the two cannot be paired this way
    /// (relations need a global graph on both sides).
    init(student: ModelConfig, teacher: ModelConfig, generator: inout SeededGenerator) throws(ConfigError)

    /// Learned parts (trained with the student, saved only in the run's resume file, never in
    /// the student's checkpoints); nil for schemes without weights.
    var module: (any Module)? { get }

    /// The scheme's weighted terms for one batch.
    func terms(_ student: ModelOutput, teacher: TeacherSignal, targets: Targets, weights: TeacherWeights) -> [LossTerm]
}

extension TeacherScheme {
    public var module: (any Module)? { nil }
}

/// The weights and temperature of a teacher's terms (`--teacher-weight`, `--teacher-feature-weight`,
/// the model's `--tau`).
public struct TeacherWeights: Sendable, Equatable {
    /// The weight of the logit term.
    public var logits: Float
    /// The weight of the state or relation term.
    public var features: Float
    public var tau: Float

    public init(logits: Float, features: Float, tau: Float) {
        (self.logits, self.features, self.tau) = (logits, features, tau)
    }
}

/// The term every scheme starts from: τ² · D(teacher → student) of the student's prediction
/// (its fused logits), over the rows the teacher has a prediction for and the student a label.
enum TeacherLogitTerm {
    static let name = "teacher_logits"

    static func term(_ student: ModelOutput, teacher: TeacherSignal, targets: Targets, weights: TeacherWeights)
        -> LossTerm
    {
        let tau = weights.tau
        let value = GroupLosses.divergence(
            teacher: teacher.logits, student: student.logits, targets: targets, tau: tau, rows: teacher.rowValid)
        return LossTerm(name: name, value: value * (tau * tau), weight: weights.logits)
    }
}

extension Catalogues {
    /// Every way a teacher teaches, by `--teacher-distill` name. A new scheme is one file (a type
    /// conforming to `TeacherScheme`) and one line here.
    public static let teacherSchemes = Catalogue<any TeacherScheme.Type>(
        option: "--teacher-distill",
        [
            TeacherLogitDistillation.self,
            TeacherStateDistillation.self,
            TeacherRelationDistillation.self,
        ])
}
