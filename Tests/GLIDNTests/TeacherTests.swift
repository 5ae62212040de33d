import Autograd
import Foundation
import GLIDN
import HOIData
import NN
import TestSupport
import Testing

/// Offline → online distillation: a frozen teacher's terms, against the PyTorch twin and finite differences.
@Suite("A teacher that has seen the whole video")
struct TeacherTests {
    static let fixtures = FixturePaths.teacherFixtures

    @Test(
        "each scheme's terms, the total and every gradient (the projection's too) match the PyTorch twin",
        arguments: fixtures)
    func matchesTheTwin(url: URL) throws {
        let reference = try ReferenceCase.load(url)
        let teacher = try #require(reference.teacher)
        let results = try ReferenceCheck.run(reference)
        let failed = results.filter { !$0.passed }
        #expect(failed.isEmpty, "\(failed.map { "\($0.name): \($0.problem ?? "\($0.worstError)")" })")
        // The teacher's terms are compared, and they are not zero: the check can fail.
        let terms = results.filter { $0.name.hasPrefix("loss.teacher_") }.map(\.name)
        #expect(terms.contains("loss.teacher_logits"))
        if teacher.scheme != "logits" { #expect(terms.count == 2, "\(terms)") }
        for name in terms { #expect(abs(reference.expected[name]!.scalar) > 1e-3, "\(name) is not trivially 0") }
        if teacher.scheme == "states" {
            #expect(results.contains { $0.name == "grad.teaching.projection.weight" && $0.passed })
        }
    }

    @Test("another teacher (changed weights) no longer matches: the teacher's terms really depend on it")
    func teacherMatters() throws {
        let url = Self.fixtures[0]
        var reference = try ReferenceCase.load(url)
        let teacher = try #require(reference.teacher)
        for (name, value) in teacher.parameters { reference.teacher?.parameters[name] = value * 1.5 }
        let failed = try ReferenceCheck.run(reference).filter { !$0.passed }.map(\.name)
        #expect(failed.contains("loss.teacher_logits") && failed.contains("loss.total"))
        #expect(!failed.contains("loss.cls_global"), "the student's own terms are unchanged")
    }

    @Test("the teacher's logit term over chosen rows: gradients against finite differences")
    func logitGradients() {
        let targets = Targets(groups: [
            (LabelGroup.subactivity, .classes([1, -1, 0, 2])), (LabelGroup.affordance, .classes([0, 1, -1, 1])),
        ])
        let teacher = BranchLogits(groups: [
            (LabelGroup.subactivity, Tensor.seeded([4, 3], seed: 21)),
            (LabelGroup.affordance, Tensor.seeded([4, 2], seed: 22)),
        ])
        let rows = [
            LabelGroup.subactivity: [true, true, false, true], LabelGroup.affordance: [true, true, true, false],
        ]
        let failures = GradientCheck.failures([Tensor.seeded([4, 3], seed: 23), Tensor.seeded([4, 2], seed: 24)]) {
            GroupLosses.divergence(
                teacher: teacher,
                student: BranchLogits(groups: [(LabelGroup.subactivity, $0[0]), (LabelGroup.affordance, $0[1])]),
                targets: targets, tau: 2, rows: rows)
        }
        #expect(failures.isEmpty, "\(failures)")
        let multi = Tensor(shape: [3, 4], values: [1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 1, 0])
        let video = GradientCheck.failures([Tensor.seeded([3, 4], seed: 25)]) {
            GroupLosses.divergence(
                teacher: BranchLogits(groups: [(LabelGroup.actions, Tensor.seeded([3, 4], seed: 26))]),
                student: BranchLogits(groups: [(LabelGroup.actions, $0[0])]), targets: .video(multi), tau: 2,
                rows: [LabelGroup.actions: [true, false, true]])
        }
        #expect(video.isEmpty, "\(video)")
    }

    @Test("attention transfer's divergence: gradients against finite differences")
    func relationGradients() {
        // Targets: two rows with a distribution, one without (zeros).
        let target = Tensor(shape: [1, 3, 3], values: [0.2, 0.8, 0, 0, 0, 0, 0.5, 0.25, 0.25])
        let failures = GradientCheck.failures([Tensor.seeded([1, 3, 3], seed: 31)], step: 1e-3) {
            RowDistributions.divergence(target: target, student: $0[0].softmax(axis: -1), rows: 2)
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test("a step of a run with a learned teaching part uses that step's gradients only, the part's too")
    func eachStepStartsFromZero() throws {
        let train = try CrossFittedTeacherTests.data()
        var config = ModelConfig(info: train.info)
        config.hidden = 8
        config[ModelSettings.heads] = 2
        var options = TrainingOptions()
        options.batchSize = 4
        // Two runs in the same state; before the second step, one has every gradient cleared by
        // hand. If the trainer left a gradient behind from the first step (the states scheme's
        // projection sits outside the model), the second steps would differ.
        func trainer() throws -> Trainer {
            var generator = SeededGenerator(seed: 5, streams: [0, 9])
            let teaching = Teaching(
                teachers: [try GLIDNModel(config: config, seed: 2)], data: train, alignment: Array(0..<train.count),
                scheme: try TeacherStateDistillation(student: config, teacher: config, generator: &generator),
                weights: TeacherWeights(logits: 1, features: 1, tau: 2), shift: 0, source: "test")
            return try Trainer(
                model: try GLIDNModel(config: config, seed: 1), options: options, trainingClips: train.count,
                teaching: teaching)
        }
        func everyParameter(_ t: Trainer) -> [(name: String, parameter: Parameter)] {
            t.model.namedParameters() + t.teaching!.namedParameters
        }
        let (plain, cleared) = (try trainer(), try trainer())
        let projection = try #require(Teaching.parameters(of: cleared.teaching!.scheme).first?.parameter)
        for (indices, run) in [([0, 4, 8, 12], 0), ([1, 5, 9, 13], 1)] {
            let batch = try train.batch(indices)
            for trainer in [plain, cleared] {
                if run == 1 && trainer === cleared {
                    #expect(projection.value.grad != nil, "the first step left its gradient in the projection")
                    for (_, p) in everyParameter(cleared) { p.zeroGrad() }
                }
                var context = ForwardContext.training(generator: SeededGenerator(seed: 7, streams: [UInt64(run)]))
                try trainer.step(batch, indices: indices, context: &context, epoch: 1)
            }
        }
        let (a, b) = (everyParameter(plain), everyParameter(cleared))
        #expect(a.count == b.count && a.contains { $0.name.hasPrefix("teaching.") })
        for (x, y) in zip(a, b) {
            #expect(x.parameter.value.values == y.parameter.value.values, "\(x.name) differs")
        }
    }
}

/// Cross-fitted teachers: each training clip taught by the teacher that did not train on it.
@Suite("Cross-fitted teachers")
struct CrossFittedTeacherTests {
    static func splits() throws -> DataSplits {
        try DataRequest.syntheticOnline(trainClips: 6, validationClips: 0, testClips: 0).load()
    }

    static func data() throws -> Dataset { try splits().train }

    @Test("parts go by whole clip (a clip's prefixes together), and leaving part k out removes exactly it")
    func parts() throws {
        let train = try Self.data()
        let parts = try TrainingPartition(of: train, count: 2).ofWholeClip
        #expect(parts.count == 6 && Set(parts.values) == [0, 1])
        #expect(parts.values.filter { $0 == 0 }.count == 3)
        let ids = try (0..<train.count).map { try train.clip(at: $0).wholeClipID }
        for i in stride(from: 0, to: ids.count, by: 4) { #expect(Set(ids[i..<(i + 4)]).count == 1) }
        let splits = try Self.splits()
        let partition = try TrainingPartition(of: splits.train, count: 2)
        for k in 0..<2 {
            let kept = try partition.part(k).leftOut(of: splits).train
            let keptIDs = try (0..<kept.count).map { try kept.clip(at: $0).wholeClipID }
            #expect(kept.count == 12, "three whole clips of four prefixes each stay")
            #expect(keptIDs.allSatisfy { parts[$0] != k }, "part \(k) is left out, and only it")
        }
    }

    @Test("merged signals take each clip's rows from its own teacher")
    func merging() throws {
        let train = try Self.data()
        let batch = try train.batch([0, 4, 8])  // three whole clips at 25 %
        var config = ModelConfig(info: train.info)
        config.hidden = 8
        config[ModelSettings.heads] = 2
        let (a, b) = (try GLIDNModel(config: config, seed: 1), try GLIDNModel(config: config, seed: 2))
        var context = ForwardContext.evaluation
        let (oa, ob) = (a(batch, context: &context), b(batch, context: &context))
        func signal(_ o: ModelOutput) -> TeacherSignal {
            TeacherSignal(
                teacher: o, studentNodes: o.entityMask, task: config.task, segments: 1, entities: batch.entities,
                shift: 0)
        }
        let merged = TeacherSignal.merging([signal(oa), signal(ob)], chosen: [1, 0, 1])
        let (la, lb, lm) = (oa.logits.rows[0].logits, ob.logits.rows[0].logits, merged.logits.rows[0].logits)
        let c = la.shape[1]
        func row(_ t: Tensor, _ r: Int) -> [Float] { Array(t.values[(r * c)..<((r + 1) * c)]) }
        #expect(row(lm, 0) == row(lb, 0) && row(lm, 1) == row(la, 1) && row(lm, 2) == row(lb, 2))
        #expect(row(la, 0) != row(lb, 0), "the two teachers differ")
        let (sa, sm) = (signal(oa).states!, merged.states!)
        let per = sa.count / 3
        #expect(Array(sm.values[per..<(2 * per)]) == Array(sa.values[per..<(2 * per)]))
    }
}
