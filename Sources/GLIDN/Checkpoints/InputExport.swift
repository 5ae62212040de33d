import Autograd
import Foundation
import HOIData
import NN

/// A batch as the PyTorch twin reads it (`tools/pytorch/glidn_torch.py`, `load_inputs`): the
/// arrays of the reference fixtures' `input.*` entries, in an `.npz`, so that a model can be
/// run and fine-tuned in PyTorch on the clips GLIDN builds from real data.
///
/// Arrays: `features` [B, T, N, F], `boxes` [B, T, N, 4], `mask` [B, T, N], `is_human` [B, N]
/// (float32); `categories` [B, N], `frames_per_segment` [1], `segment_counts` [B],
/// `frame_counts` [B·S] (int64); per label group, under its reference key (`labels`,
/// `human_labels`, `object_labels`), multi-hot float32 [B, C] or class indices int64 [B, S·N]
/// (-1: none); `clip_ids`, the ids joined by newlines as UTF-8 bytes.
public enum InputExport {
    public static func npz(_ batch: Batch, task: TaskKind) -> Data {
        var out = NPZWriter()
        func floats(_ name: String, _ t: Tensor) { out.add(name, shape: t.shape, .float32(t.values)) }
        floats("features", batch.features)
        floats("boxes", batch.boxes)
        floats("mask", batch.mask)
        floats("is_human", batch.isHuman)
        out.add("categories", shape: [batch.size, batch.entities], .int64(batch.categories))
        out.add("frames_per_segment", shape: [1], .int64([batch.framesPerSegment]))
        out.add("segment_counts", shape: [batch.size], .int64(batch.segmentCounts))
        out.add("frame_counts", shape: [batch.frameCounts.count], .int64(batch.frameCounts))
        for group in task.groups {
            switch batch.targets?[group.name] {
            case .multiHot(let y)?: floats(group.referenceKey, y)
            case .classes(let c)?:
                out.add(group.referenceKey, shape: [batch.size, c.count / max(batch.size, 1)], .int64(c))
            case nil: break
            }
        }
        let ids = Array(batch.clipIDs.joined(separator: "\n").utf8)
        out.add("clip_ids", shape: [ids.count], .uint8(ids))
        return out.archive()
    }
}
