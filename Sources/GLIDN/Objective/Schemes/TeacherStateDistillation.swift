import Autograd
import HOIData
import NN

/// `--teacher-distill states`: besides the logits, each student node's final state, mapped by a
/// learned linear projection P (student D → teacher D; FitNets, Romero et al. 2015), regresses onto
/// the teacher's state of its paired node: the mean over paired nodes of ‖P(h_s) - h_t‖² / D_t,
/// weight `--teacher-feature-weight`. States are the global graph's output where the model has
/// one, else the local summary. P is a training aid: it is kept in the run's resume file, not in
/// the student's checkpoints.
public struct TeacherStateDistillation: TeacherScheme {
    public static let name = "states"
    public static let summary =
        "the logits, and each node's state regresses onto the teacher's through a learned projection"
    public static let stateTerm = "teacher_states"
    public static let termNames = [TeacherLogitTerm.name, stateTerm]

    /// The learned projection, `projection.weight` [D_t, D_s] and `projection.bias`.
    public final class Parts: Module {
        public let projection: Linear

        init(from: Int, to: Int, generator: inout SeededGenerator) {
            projection = Linear(inFeatures: from, outFeatures: to, generator: &generator)
        }

        public var children: [(name: String, child: ModuleChild)] { [("projection", .module(projection))] }
    }

    let parts: Parts

    public init(student: ModelConfig, teacher: ModelConfig, generator: inout SeededGenerator) throws(ConfigError) {
        parts = Parts(from: student.hidden, to: teacher.hidden, generator: &generator)
    }

    public var module: (any Module)? { parts }

    public func terms(_ student: ModelOutput, teacher: TeacherSignal, targets: Targets, weights: TeacherWeights)
        -> [LossTerm]
    {
        let logits = TeacherLogitTerm.term(student, teacher: teacher, targets: targets, weights: weights)
        guard let target = teacher.states, let states = student.globalStates ?? student.localSummary else {
            return [logits, LossTerm(name: Self.stateTerm, value: Tensor(0), weight: weights.features)]
        }
        let pairs = teacher.nodePairs
        let count = pairs.values.reduce(0, +)
        guard count > 0 else {
            return [logits, LossTerm(name: Self.stateTerm, value: Tensor(0), weight: weights.features)]
        }
        let difference = parts.projection(states) - target
        let width = Float(target.shape[2])
        let distance = ((difference * difference).sum(axis: -1) * pairs).sum() * (1 / (count * width))
        return [logits, LossTerm(name: Self.stateTerm, value: distance, weight: weights.features)]
    }
}
