import Autograd
import HOIData
import NN

/// `--teacher-distill logits`: the teacher's soft prediction of each (segment, entity) teaches the
/// student's (Hinton et al. 2015; offline to online as in Zhao et al. 2020): τ² · KL(softmax(z_t/τ) ‖
/// softmax(z_s/τ)) over the student's labelled rows that have a teacher row (for anticipation
/// the teacher's row is the next segment's), weight `--teacher-weight`.
public struct TeacherLogitDistillation: TeacherScheme {
    public static let name = "logits"
    public static let summary = "the teacher's soft prediction of each row teaches the student's (τ² · KL)"
    public static let termNames = [TeacherLogitTerm.name]

    public init(student: ModelConfig, teacher: ModelConfig, generator: inout SeededGenerator) throws(ConfigError) {}

    public func terms(_ student: ModelOutput, teacher: TeacherSignal, targets: Targets, weights: TeacherWeights)
        -> [LossTerm]
    {
        [TeacherLogitTerm.term(student, teacher: teacher, targets: targets, weights: weights)]
    }
}
