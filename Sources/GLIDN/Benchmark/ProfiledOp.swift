import Autograd

/// One op's share of a training step, from `OpProfiler`: milliseconds per step in the forward
/// pass (the time since the op before it was recorded: its own work and any untaped work just
/// before it) and in the backward pass (its gradient), and how often it runs per step.
public struct ProfiledOp: Codable, Sendable {
    /// The recording file and function and the result's shape, e.g.
    /// `NN/GraphAttentionKernel.swift apply(…) [320, 6, 128]`.
    public let op: String
    public let callsPerStep: Double
    public let forwardMilliseconds: Double
    public let backwardMilliseconds: Double

    enum CodingKeys: String, CodingKey {
        case op
        case callsPerStep = "calls_per_step"
        case forwardMilliseconds = "forward_ms"
        case backwardMilliseconds = "backward_ms"
    }

    init(_ entry: OpProfiler.Entry, steps: Int) {
        let site = entry.site
        // The function's name without its argument labels: `apply(…)`, `relu()`.
        var function = site.function
        if let open = function.firstIndex(of: "("), function[open...] != "()" { function = function[..<open] + "(…)" }
        op = "\(site.file) \(function) [\(site.shape.map(String.init).joined(separator: ", "))]"
        callsPerStep = Double(entry.calls) / Double(steps)
        forwardMilliseconds = Double(entry.forwardNanoseconds) / 1e6 / Double(steps)
        backwardMilliseconds = Double(entry.backwardNanoseconds) / 1e6 / Double(steps)
    }
}
