import Autograd
import Foundation
import HOIData
import NN
import Settings

/// A reference file (`Tests/GLIDNTests/Fixtures/reference/README.md`): a configuration, weights, inputs and
/// the outputs, losses and gradients an independent implementation computed from them.
public struct ReferenceCase {
    public let path: String
    public let config: ModelConfig
    /// Weights by checkpoint name (settable, to check that a wrong weight is caught).
    public var parameters: [String: Tensor]
    public let batch: Batch
    /// `output.*`, `loss.*` and `grad.*` tensors by full name.
    public let expected: [String: Tensor]
    /// The teacher, when the file's student is taught by one.
    public var teacher: TeacherReference?

    public static func load(_ url: URL) throws -> ReferenceCase {
        try load(SafeTensorsFile.read(contentsOf: url), url: url)
    }

    /// A reference file already read (the fuzz target's entry: any bytes that parse as safetensors).
    public static func load(_ file: SafeTensorsFile, url: URL) throws -> ReferenceCase {
        guard let json = file.metadata["config"] else {
            throw ConfigError(source: url.path, problem: "the file has no 'config' in its __metadata__")
        }
        let config = try ModelConfig.decode(json: json, source: url.path)
        let batch = try Self.batch(in: file, prefix: "input.", config: config, source: url.path)
        var expected: [String: Tensor] = [:]
        for name in file.names where ["output.", "loss.", "grad."].contains(where: name.hasPrefix) {
            expected[name] = try file.tensor(name)
        }
        return ReferenceCase(
            path: url.path, config: config, parameters: try file.tensors(prefix: "param."),
            batch: batch, expected: expected, teacher: try TeacherReference.load(file, source: url.path))
    }

    /// The batch stored under `prefix` (`input.`, `teacher_input.`).
    static func batch(in file: SafeTensorsFile, prefix: String, config: ModelConfig, source: String) throws -> Batch {
        func input(_ name: String) throws -> Tensor { try file.tensor(prefix + name) }
        let mask = try input("mask")
        let b = mask.shape.first ?? 0
        // Each group's labels under its reference key: multi-hot for a multi-label group,
        // class indices otherwise.
        let targets = Targets(
            groups: try config.task.groups.map { group in
                (
                    group.name,
                    group.multiLabel
                        ? .multiHot(try input(group.referenceKey))
                        : .classes(try file.integers(prefix + group.referenceKey))
                )
            })
        // Whole videos of segments: T = S · k frames, k given.
        let t = mask.shape.count == 3 ? mask.shape[1] : 0
        let k =
            file.names.contains(prefix + "frames_per_segment")
            ? try file.integers(prefix + "frames_per_segment").first ?? t : t
        let segments = k > 0 ? t / k : 1
        let segmentCounts =
            file.names.contains(prefix + "segment_counts") ? try file.integers(prefix + "segment_counts") : nil
        do {
            return try Batch(
                clipIDs: (0..<b).map { "reference clip \($0)" }, features: try input("features"),
                boxes: try input("boxes"),
                mask: mask, categories: try file.integers(prefix + "categories"), isHuman: try input("is_human"),
                targets: targets, segments: segments, segmentCounts: segmentCounts)
        } catch {
            throw ConfigError(source: source, problem: "inputs do not form a batch: \(error)")
        }
    }
}

/// The teacher of a reference file whose student is taught by one (`teacher_*` entries): its
/// configuration, weights and inputs, the scheme, its weights and shift, and the scheme's parts.
public struct TeacherReference {
    public let config: ModelConfig
    /// Settable, to check that another teacher is caught.
    public var parameters: [String: Tensor]
    public let batch: Batch
    public let scheme: String
    public let shift: Int
    public let weight: Float
    public let featureWeight: Float
    /// The scheme's learned parts by name (`projection.weight`).
    public let parts: [String: Tensor]

    static func load(_ file: SafeTensorsFile, source: String) throws -> TeacherReference? {
        guard let json = file.metadata["teacher_config"] else { return nil }
        let config = try ModelConfig.decode(json: json, source: source + " (teacher_config)")
        guard let text = file.metadata["teacher"],
            let meta = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any],
            let scheme = meta["scheme"] as? String, let shift = (meta["shift"] as? NSNumber)?.intValue,
            let weight = (meta["weight"] as? NSNumber)?.floatValue,
            let featureWeight = (meta["feature_weight"] as? NSNumber)?.floatValue
        else {
            throw ConfigError(source: source, problem: "its 'teacher' metadata lacks the scheme, shift or weights")
        }
        return TeacherReference(
            config: config, parameters: try file.tensors(prefix: "teacher_param."),
            batch: try ReferenceCase.batch(in: file, prefix: "teacher_input.", config: config, source: source),
            scheme: scheme, shift: shift, weight: weight, featureWeight: featureWeight,
            parts: try file.tensors(prefix: "teaching_param."))
    }
}

/// How one reference tensor compares with ours.
public struct ReferenceComparison {
    public let name: String
    /// Largest |ours - reference| over the compared elements.
    public let worstError: Float
    /// Largest |ours - reference| / (atol + rtol · |reference|); at most 1 passes.
    public let worstRatio: Float
    public let compared: Int
    /// Set when the tensor could not be compared at all.
    public let problem: String?

    public var passed: Bool { problem == nil && worstRatio <= 1 }
}

public enum ReferenceCheck {
    public static let absoluteTolerance: Float = 1e-4
    public static let relativeTolerance: Float = 1e-3

    /// Runs forward and backward with the reference weights and compares every stored
    /// output, loss and gradient. Attention is compared for visible receivers only.
    public static func run(_ reference: ReferenceCase) throws -> [ReferenceComparison] {
        let model = try GLIDNModel(config: reference.config, seed: 0)
        try model.load(reference.parameters, source: reference.path)
        try model.check(reference.batch)
        var context = ForwardContext.evaluation
        let output = model(reference.batch, context: &context)
        guard let targets = reference.batch.targets else {
            throw ConfigError(
                source: reference.path, problem: "the reference holds no labels, so no losses or gradients to check")
        }
        var losses = model.objective.losses(output, targets: targets)
        var parts: [(name: String, parameter: Parameter)] = []
        if let teacher = reference.teacher {
            let teacherModel = try GLIDNModel(config: teacher.config, seed: 0)
            try teacherModel.load(teacher.parameters, source: reference.path + " (teacher)")
            var generator = SeededGenerator(seed: 0)
            let scheme = try Catalogues.teacherSchemes.lookUp(teacher.scheme).init(
                student: reference.config, teacher: teacher.config, generator: &generator)
            try scheme.module?.load(teacher.parts, source: reference.path + " (teaching_param)")
            parts = Teaching.parameters(of: scheme)
            let terms = try Teaching.terms(
                scheme, teacher: teacherModel, on: teacher.batch, student: output, studentBatch: reference.batch,
                targets: targets,
                weights: TeacherWeights(
                    logits: teacher.weight, features: teacher.featureWeight, tau: reference.config.tau),
                shift: teacher.shift)
            losses = LossTerms(terms: losses.terms + terms)
        }
        model.zeroGrad()
        for (_, p) in parts { p.zeroGrad() }
        losses.total.backward()

        var ours: [String: Tensor] = [:]
        // The reference files' names are the symbols of docs/MODEL.md.
        ours["output.h0"] = output.encoded
        ours["output.hL"] = output.localStates
        ours["output.lbar"] = output.localSummary
        ours["output.g0"] = output.globalInput
        ours["output.hG"] = output.globalStates
        ours["output.entity_mask"] = output.entityMask
        ours["output.global_edges"] = output.globalEdges
        for (l, a) in output.localAttention.enumerated() { ours["output.local_attention.\(l)"] = a }
        for (l, a) in output.globalAttention.enumerated() { ours["output.global_attention.\(l)"] = a }
        // `<branch>_logits` for the actions of the video task, `<branch>_<group>_logits` otherwise.
        for (branch, logits) in [("local", output.localLogits), ("global", output.globalLogits)] {
            for group in logits?.groups ?? [] {
                let name = group.name == LabelGroup.actions ? branch : "\(branch)_\(group.name)"
                ours["output.\(name)_logits"] = group.logits
            }
        }
        // A term that this configuration does not have (a branch's classification in a one-branch
        // variant, distillation in `none`) is zero in the reference's accounting.
        for name in ["cls_local", "cls_global", "distill_logits", "distill_features"] {
            ours["loss." + name] = Tensor(0)
        }
        for (name, value) in losses.values { ours["loss." + name] = Tensor(value) }
        for (name, p) in model.namedParameters() + parts { ours["grad." + name] = p.grad ?? Tensor.zeros(p.shape) }

        let frameMask = reference.batch.mask.values
        let entityMask = output.entityMask.values
        return reference.expected.keys.sorted().map { name in
            let want = reference.expected[name]!
            guard let got = ours[name] else {
                return ReferenceComparison(
                    name: name, worstError: .infinity, worstRatio: .infinity, compared: 0,
                    problem: "this model does not produce it")
            }
            guard got.count == want.count, got.shape == want.shape || (got.count == 1 && want.count == 1) else {
                return ReferenceComparison(
                    name: name, worstError: .infinity, worstRatio: .infinity, compared: 0,
                    problem: "shape \(Shape.describe(got.shape)), reference \(Shape.describe(want.shape))")
            }
            // A reference value that is not a number cannot be matched: the file is damaged.
            if let bad = want.values.firstIndex(where: { !$0.isFinite }) {
                return ReferenceComparison(
                    name: name, worstError: .infinity, worstRatio: .infinity, compared: 0,
                    problem: "the reference holds a non-finite value (\(want.values[bad])) at index \(bad)")
            }
            // Attention rows of invisible receivers are arbitrary: skip them.
            var receiverVisible: ((Int) -> Bool)?
            if name.hasPrefix("output.local_attention.") || name.hasPrefix("output.global_attention.") {
                let visible = name.hasPrefix("output.local") ? frameMask : entityMask
                let perReceiver = want.count / max(visible.count, 1)
                receiverVisible = { visible[$0 / perReceiver] != 0 }
            }
            var worst: Float = 0
            var ratio: Float = 0
            var compared = 0
            for (i, (g, w)) in zip(got.values, want.values).enumerated() where receiverVisible?(i) ?? true {
                let error = abs(g - w)
                let r = g.isNaN ? .infinity : error / (absoluteTolerance + relativeTolerance * abs(w))
                worst = max(worst, g.isNaN ? .infinity : error)
                ratio = max(ratio, r)
                compared += 1
            }
            return ReferenceComparison(
                name: name, worstError: worst, worstRatio: ratio, compared: compared, problem: nil)
        }
    }
}
