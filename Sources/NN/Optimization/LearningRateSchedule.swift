import Foundation

/// The learning rate as a function of the step (0-based).
public protocol LearningRateSchedule {
    func rate(at step: Int) -> Float
}

/// One rate throughout.
public struct ConstantSchedule: LearningRateSchedule {
    public let base: Float
    public init(base: Float) { self.base = base }
    public func rate(at step: Int) -> Float { base }
}

/// Linear warm-up from 0 to `base` over `warmupSteps`, then a cosine decay to `minimum`
/// at `totalSteps` (held there afterwards).
public struct WarmupCosineSchedule: LearningRateSchedule {
    public let base: Float
    public let warmupSteps: Int
    public let totalSteps: Int
    public let minimum: Float

    public init(base: Float, warmupSteps: Int, totalSteps: Int, minimum: Float = 0) {
        self.base = base
        self.warmupSteps = max(warmupSteps, 0)
        self.totalSteps = max(totalSteps, 1)
        self.minimum = minimum
    }

    public func rate(at step: Int) -> Float {
        if step < warmupSteps {
            return base * Float(step + 1) / Float(warmupSteps)
        }
        let span = max(totalSteps - warmupSteps, 1)
        let progress = min(Double(step - warmupSteps) / Double(span), 1)
        return minimum + (base - minimum) * Float(0.5 * (1 + Foundation.cos(Double.pi * progress)))
    }
}
