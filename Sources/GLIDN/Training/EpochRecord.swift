/// What one epoch of training produced: one line of `metrics.jsonl`.
public struct EpochRecord: Codable, Equatable, Sendable {
    public var epoch: Int
    /// Optimizer steps taken so far.
    public var step: Int
    public var learningRate: Float
    /// Mean training loss terms over the epoch's batches.
    public var train: [String: Double]
    /// Validation metrics (empty without a validation set).
    public var validation: [String: Double]
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case epoch, step, train, validation, seconds
        case learningRate = "learning_rate"
    }
}
