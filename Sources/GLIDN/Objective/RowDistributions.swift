import Autograd
import Foundation

/// The divergence of attention transfer: target distributions over senders (plain values, rows
/// of zeros where there is no target) against a student's attention rows.
public enum RowDistributions {
    /// Σ p · (ln p - ln(q + 10⁻⁶)) over all entries, divided by `rows` (the rows with a target):
    /// the mean over those rows of KL(p ‖ q + 10⁻⁶). 0 · ln 0 counts as 0.
    public static func divergence(target p: Tensor, student q: Tensor, rows: Int) -> Tensor {
        let logP = p.map { $0 > 0 ? Foundation.log($0) : 0 }
        return (p * (logP - (q + 1e-6).log())).sum() * (1 / Float(rows))
    }
}
