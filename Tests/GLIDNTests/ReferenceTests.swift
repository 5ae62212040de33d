import Autograd
import Foundation
import GLIDN
import Testing

/// Where the fixtures live: the project's reference files (computed by an independent
/// implementation; Fixtures/reference/README.md) and our own extra fixtures (written by
/// tools/pytorch/glidn_torch.py, an independent PyTorch implementation) in Tests/GLIDNTests/Fixtures.
enum FixturePaths {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let referenceNames = ["glidn_video", "glidn_video_g2l", "glidn_entity"]
    static let sharedReference = referenceNames.map {
        testsFolder.appendingPathComponent("Fixtures/reference/\($0).safetensors")
    }
    /// Where the reference files were first delivered, beside the repository (if it is there).
    static let delivered = referenceNames.map {
        testsFolder.appendingPathComponent("../../../shared/reference/\($0).safetensors").standardized
    }
    static let ownFixtures = [
        "single_frame_video", "single_entity_entity", "deep_local_to_global", "entity_full_none",
        "pooled_video", "local_entity", "global_video", "video_segments_entity", "causal_segments_entity",
        "ensemble_video", "gated_entity", "gated_video",
        "projected_video", "projected_up_entity", "relational_video", "mean_layer_entity",
        "label_smoothing_entity", "label_smoothing_video",
    ].map {
        testsFolder.appendingPathComponent("Fixtures/\($0).safetensors")
    }
    /// Students taught by a frozen teacher (`TeacherTests`).
    static let teacherFixtures = [
        "teacher_logits_anticipation", "teacher_states_online", "teacher_relations_anticipation",
        "teacher_logits_video",
    ].map { testsFolder.appendingPathComponent("Fixtures/\($0).safetensors") }
}

@Suite("Matching the reference implementation")
struct ReferenceTests {
    @Test(
        "the reference files: every output, all five losses, every gradient, attention of visible receivers",
        arguments: FixturePaths.sharedReference)
    func sharedReference(url: URL) throws {
        let reference = try ReferenceCase.load(url)
        let results = try ReferenceCheck.run(reference)
        let failed = results.filter { !$0.passed }
        #expect(failed.isEmpty, "\(failed.map { "\($0.name): \($0.problem ?? "\($0.worstError)")" })")
        let names = Set(results.map(\.name))
        for loss in ["cls_local", "cls_global", "distill_logits", "distill_features", "total"] {
            #expect(names.contains("loss." + loss))
        }
        #expect(results.filter { $0.name.hasPrefix("grad.") }.count == reference.parameters.count)
        #expect(names.contains("output.local_attention.1") && names.contains("output.global_attention.0"))
    }

    @Test(
        "more configurations: T = 1, N = 1, three layers, local-to-global, none, and the variants pooled, local, global",
        arguments: FixturePaths.ownFixtures)
    func ownFixtures(url: URL) throws {
        let results = try ReferenceCheck.run(try ReferenceCase.load(url))
        let failed = results.filter { !$0.passed }
        #expect(
            !results.isEmpty && failed.isEmpty, "\(failed.map { "\($0.name): \($0.problem ?? "\($0.worstError)")" })")
    }

    @Test("the repository's reference files are the delivered ones, byte for byte (where ../shared is present)")
    func sameAsDelivered() throws {
        for (ours, delivered) in zip(FixturePaths.sharedReference, FixturePaths.delivered)
        where FileManager.default.fileExists(atPath: delivered.path) {
            #expect(try Data(contentsOf: ours) == Data(contentsOf: delivered), "\(ours.lastPathComponent)")
        }
    }

    @Test("a wrong weight is detected: the check can fail")
    func detectsMismatch() throws {
        var reference = try ReferenceCase.load(FixturePaths.sharedReference[0])
        reference.parameters["local.1.att_src"] = reference.parameters["local.1.att_src"]! * 1.01
        let failed = try ReferenceCheck.run(reference).filter { !$0.passed }.map(\.name)
        #expect(failed.contains("output.hL") && failed.contains("output.local_attention.1"), "\(failed)")
        #expect(failed.contains { $0.hasPrefix("grad.") }, "\(failed)")
        #expect(!failed.contains("output.h0"), "the encoder does not depend on that weight")
    }
}

@Suite("The plain compositions against the reference")
struct PlainKernelReferenceTests {
    @Test(
        "with every fused kernel replaced by its plain composition (GLIDN_KERNELS=plain), every reference file still passes",
        arguments: FixturePaths.sharedReference + FixturePaths.ownFixtures + FixturePaths.teacherFixtures)
    func plainKernels(url: URL) throws {
        let reference = try ReferenceCase.load(url)
        let (results, ops) = try KernelMode.with(.plain) {
            try OpProfiler.profiling { try ReferenceCheck.run(reference) }
        }
        let failed = results.filter { !$0.passed }
        #expect(
            !results.isEmpty && failed.isEmpty, "\(failed.map { "\($0.name): \($0.problem ?? "\($0.worstError)")" })")
        let files = Set(ops.map(\.site.file))
        #expect(
            !files.contains {
                $0.contains("GraphAttentionKernel") || $0.contains("EntityHeadsOp.swift")
                    || $0.contains("EncoderActivation.swift")
            },
            "fused kernels ran in plain mode: \(files.sorted())")
    }
}
