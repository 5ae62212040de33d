import Autograd

/// How a forward pass runs: training (dropout on, drawing from a seeded generator)
/// or evaluation (deterministic).
public struct ForwardContext {
    public var isTraining: Bool
    public var generator: SeededGenerator

    public static func training(generator: SeededGenerator) -> ForwardContext {
        ForwardContext(isTraining: true, generator: generator)
    }

    public static var evaluation: ForwardContext {
        ForwardContext(isTraining: false, generator: SeededGenerator(seed: 0))
    }
}
