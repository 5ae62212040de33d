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

    /// Target rows from a teacher's attention α [B, M, M, H] (plain values): row r of clip b is
    /// the mean over heads of α's row `source(b, r)`, kept to the senders j with `allowed(b, r, j)`
    /// and renormalised; a row without a source, or whose kept weights sum to 0, stays zero.
    /// Returns the targets [B, M, M] and how many rows have one.
    static func targets(
        attention alpha: Tensor, source: (_ clip: Int, _ row: Int) -> Int?,
        allowed: (_ clip: Int, _ row: Int, _ sender: Int) -> Bool
    ) -> (targets: Tensor, rows: Int) {
        let (b, m, h) = (alpha.shape[0], alpha.shape[1], alpha.shape[3])
        let a = alpha.values
        var target = [Float](repeating: 0, count: b * m * m)
        var rows = 0
        for clip in 0..<b {
            for r in 0..<m {
                guard let t = source(clip, r) else { continue }
                var total: Float = 0
                for j in 0..<m where allowed(clip, r, j) {
                    var mean: Float = 0
                    for k in 0..<h { mean += a[((clip * m + t) * m + j) * h + k] }
                    target[(clip * m + r) * m + j] = mean / Float(h)
                    total += mean / Float(h)
                }
                guard total > 0 else { continue }
                for j in 0..<m { target[(clip * m + r) * m + j] /= total }
                rows += 1
            }
        }
        return (Tensor(shape: [b, m, m], values: target), rows)
    }
}
