import Autograd
import HOIData
import NN

/// What a frozen teacher computed for one batch, aligned row by row with its student's rows.
///
/// Rows are per clip or per node (segment s, entity n). Student node (s, n) is paired with the
/// teacher's node (s + shift, n): shift 0 for online detection (the teacher saw segment s and
/// everything after it), 1 for anticipation (the student at s guesses segment s + 1, which
/// the teacher has seen). A pair exists when s + shift is a segment of the batch and both
/// nodes are visible. Everything here is plain values: no gradient reaches the teacher.
public struct TeacherSignal {
    /// The teacher's prediction (its fused logits) per student row, group by group, [rows, C];
    /// rows without a pair hold zeros.
    public let logits: BranchLogits
    /// Per group (by name): which student rows have a teacher row.
    public let rowValid: [String: [Bool]]
    /// The teacher's final node states per student node [B, S·N, D_teacher] (the global graph's
    /// output, else the local summary), zeros where there is no pair.
    public let states: Tensor?
    /// 1 for the student's nodes that have a teacher node [B, S·N].
    public let nodePairs: Tensor
    /// The teacher's last global attention [B, S·N, S·N, H], in the teacher's own node order.
    public let attention: Tensor?
    public let shift: Int
    public let segments: Int
    public let entities: Int

    /// `teacher` ran on the same clips as the student (its own view of them: features may differ,
    /// the clips, segments and entities are the same); `studentNodes` is the student's entity
    /// mask [B, S·N].
    public init(teacher: ModelOutput, studentNodes: Tensor, task: TaskKind, segments: Int, entities: Int, shift: Int) {
        let b = studentNodes.shape[0]
        let nodes = segments * entities
        let teacherNodes = teacher.entityMask.values
        let student = studentNodes.values
        // For each student node, its teacher node (or nil).
        var source = [Int?](repeating: nil, count: b * nodes)
        var pairs = [Float](repeating: 0, count: b * nodes)
        for clip in 0..<b {
            for s in 0..<segments where s + shift < segments {
                for n in 0..<entities {
                    let (mine, theirs) = (clip * nodes + s * entities + n, clip * nodes + (s + shift) * entities + n)
                    guard student[mine] != 0, teacherNodes[theirs] != 0 else { continue }
                    source[mine] = theirs
                    pairs[mine] = 1
                }
            }
        }
        var valid: [String: [Bool]] = [:]
        var groups: [(name: String, logits: Tensor)] = []
        for group in teacher.logits.rows {
            let classes = group.logits.shape[1]
            if task.group(group.name)?.rows == .clip {
                valid[group.name] = [Bool](repeating: true, count: group.logits.shape[0])
                groups.append((group.name, group.logits.detached()))
                continue
            }
            groups.append((group.name, Self.gather(group.logits.values, rows: source, width: classes)))
            valid[group.name] = source.map { $0 != nil }
        }
        logits = BranchLogits(groups: groups)
        rowValid = valid
        if let finalStates = teacher.globalStates ?? teacher.localSummary {
            let width = finalStates.shape[2]
            states = Self.gather(finalStates.values, rows: source, width: width).reshaped([b, nodes, width])
        } else {
            states = nil
        }
        nodePairs = Tensor(shape: [b, nodes], values: pairs)
        attention = teacher.globalAttention.last
        (self.shift, self.segments, self.entities) = (shift, segments, entities)
    }

    /// Rows of `values` ([rows, width]) picked by `rows` (nil: zeros), as a plain [picked, width] tensor.
    static func gather(_ values: [Float], rows: [Int?], width: Int) -> Tensor {
        var out = [Float](repeating: 0, count: rows.count * width)
        for (i, r) in rows.enumerated() {
            guard let r else { continue }
            for c in 0..<width { out[i * width + c] = values[r * width + c] }
        }
        return Tensor(shape: [rows.count, width], values: out)
    }

    /// The teacher node paired with student node `node` of clip `clip` (an index in 0 ..< S·N), if any.
    public func teacherNode(of node: Int, clip: Int) -> Int? {
        guard nodePairs.values[clip * segments * entities + node] != 0 else { return nil }
        return node + shift * entities
    }
}

extension GroupLosses {
    /// D(teacher → student) without τ², group by group, over the rows `rows` marks (per group
    /// name) and, for a single-label group, that carry a label: the mean Bernoulli KL of those
    /// rows' elements (multi-label), the mean categorical KL of those rows (single-label). A group
    /// without such a row adds 0.
    public static func divergence(
        teacher: BranchLogits, student: BranchLogits, targets: Targets, tau: Float, rows: [String: [Bool]]
    ) -> Tensor {
        sum(
            zip(pairs(teacher, targets), student.rows).map { teacherGroup, studentGroup in
                let (t, labels) = teacherGroup
                let chosen = rows[studentGroup.name] ?? [Bool](repeating: true, count: t.shape[0])
                switch labels {
                case .multiHot:
                    let picked = chosen.indices.filter { chosen[$0] }
                    guard !picked.isEmpty else { return Tensor(0) }
                    if picked.count == chosen.count {
                        return Losses.bernoulliKL(teacher: t, student: studentGroup.logits, temperature: tau)
                    }
                    return Losses.bernoulliKL(
                        teacher: t.indexSelect(axis: 0, indices: picked),
                        student: studentGroup.logits.indexSelect(axis: 0, indices: picked), temperature: tau)
                case .classes(let c):
                    let valid = zip(c, chosen).map { $0 >= 0 && $1 }
                    guard valid.contains(true) else { return Tensor(0) }
                    return Losses.categoricalKL(
                        teacher: t, student: studentGroup.logits, temperature: tau, valid: valid)
                }
            })
    }
}

extension TeacherSignal {
    /// Several teachers' signals on the same batch, clip b taken from teacher `chosen[b]`'s (cross-fitting:
    /// each clip taught by the teacher that did not train on it).
    public static func merging(_ signals: [TeacherSignal], chosen: [Int]) -> TeacherSignal {
        precondition(!signals.isEmpty && chosen.allSatisfy { signals.indices.contains($0) })
        guard signals.count > 1 else { return signals[0] }
        let clips = chosen.count
        /// Clip b's slice (leading axis split evenly over the clips) from the chosen tensor.
        func pick(_ tensors: [Tensor]) -> Tensor {
            let first = tensors[0]
            let per = first.count / clips
            var out = [Float](repeating: 0, count: first.count)
            for (b, k) in chosen.enumerated() {
                let values = tensors[k].values
                for i in (b * per)..<((b + 1) * per) { out[i] = values[i] }
            }
            return Tensor(shape: first.shape, values: out)
        }
        func pick(_ flags: [[Bool]]) -> [Bool] {
            let per = flags[0].count / clips
            return chosen.enumerated().flatMap { b, k in flags[k][(b * per)..<((b + 1) * per)] }
        }
        let base = signals[0]
        let groups = base.logits.groups.enumerated().map { g, group in
            (group.name, pick(signals.map { $0.logits.groups[g].logits }))
        }
        var valid: [String: [Bool]] = [:]
        for name in base.rowValid.keys { valid[name] = pick(signals.map { $0.rowValid[name]! }) }
        return TeacherSignal(
            logits: BranchLogits(groups: groups), rowValid: valid,
            states: base.states.map { _ in pick(signals.map { $0.states! }) },
            nodePairs: pick(signals.map(\.nodePairs)),
            attention: base.attention.map { _ in pick(signals.map { $0.attention! }) }, shift: base.shift,
            segments: base.segments, entities: base.entities)
    }

    init(
        logits: BranchLogits, rowValid: [String: [Bool]], states: Tensor?, nodePairs: Tensor, attention: Tensor?,
        shift: Int, segments: Int, entities: Int
    ) {
        (self.logits, self.rowValid, self.states, self.nodePairs, self.attention) = (
            logits, rowValid, states, nodePairs, attention
        )
        (self.shift, self.segments, self.entities) = (shift, segments, entities)
    }
}
