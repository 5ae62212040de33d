import Autograd
import Foundation
import HOIData
import Settings

/// What a training run needs of memory, checked before it starts: a run that cannot fit is an
/// error naming the options to lower, not a crash (or a hang) in its first step.
///
/// The estimate is a lower bound fitted to the peak resident memory of synthetic runs on the
/// development machine (`/usr/bin/time -f %M glidn train --hidden H --batch-size B --frames T
/// --epochs 1 --train-clips 256 --validation-clips 0 --test-clips 0`, H 128–1024, B 8–128,
/// T 24–96: 128 MB to 1.16 GB): about 80 bytes per parameter (weights, gradients, the two
/// moments, the products' buffers) and 300 bytes per clip, frame and hidden unit (the
/// activations the tape keeps). Every measured run used more than this; so a run refused by it
/// would certainly not have fit, and a run that passes it may still meet the allocation check
/// (`MemoryExhaustion`) behind it.
public enum MemoryEstimate {
    public static func trainingBytes(parameters: Int, batchSize: Int, frames: Int, hidden: Int) -> Int {
        let weights = ResourceLimits.product([parameters, 80], limit: .max) ?? .max
        let activations = ResourceLimits.product([batchSize, frames, hidden, 300], limit: .max) ?? .max
        return ResourceLimits.sum([weights, activations], limit: .max) ?? .max
    }

    /// Throws when the run's estimate exceeds the memory left to the process.
    public static func check(parameters: Int, batchSize: Int, frames: Int, hidden: Int) throws(SettingError) {
        let need = trainingBytes(parameters: parameters, batchSize: batchSize, frames: frames, hidden: hidden)
        let available = MemoryExhaustion.available()
        guard need > available else { return }
        throw SettingError(
            "this run needs at least \(ResourceLimits.describe(bytes: need)) of memory (\(parameters) parameters; --batch-size \(batchSize) clips of \(frames) frames at --hidden \(hidden)), and \(ResourceLimits.describe(bytes: available)) is left to this process (the machine's available memory, or ulimit -v): lower --batch-size, --hidden or --frames"
        )
    }
}
