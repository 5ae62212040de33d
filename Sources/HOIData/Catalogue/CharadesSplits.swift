import Foundation
import Logging

/// What the two Charades data sets share: the official annotation CSVs and their split. The
/// training CSV's videos are split by video into training and validation; the test CSV's
/// videos are the test set.
enum CharadesSplits {
    static let logger = Logger(label: "glidn.data.charades")

    /// `labelsRequired`: false for data that can be read without labels (prediction).
    static func problems(in request: DataRequest, name: String, summary: String, labelsRequired: Bool = true)
        -> [String]
    {
        var problems: [String] = []
        if request.data == nil { problems.append("--dataset \(name) needs --data (\(summary))") }
        if labelsRequired && request.annotations == nil && request.testAnnotations == nil {
            problems.append("--dataset \(name) needs --annotations (and/or --test-annotations) CSV files")
        }
        return problems
    }

    static func annotations(_ request: DataRequest, name: String, labelsRequired: Bool = true) throws -> (
        root: URL, train: [CharadesVideo], test: [CharadesVideo]
    ) {
        if let problem = problems(in: request, name: name, summary: "", labelsRequired: labelsRequired).first {
            throw DataRequestError(problem)
        }
        let train = try request.annotations.map { try CharadesAnnotations.read(contentsOf: $0) } ?? []
        let test = try request.testAnnotations.map { try CharadesAnnotations.read(contentsOf: $0) } ?? []
        return (request.data ?? URL(fileURLWithPath: "."), train, test)
    }

    /// `source` holds the clips of `train + test` in that order, without the `skipped` ones;
    /// with neither (no annotation CSV), only unlabelled clips to predict for: every split
    /// but `all` is empty.
    static func split(
        source: any ClipSource, featureSize: Int, skipped: [String], train: [CharadesVideo], test: [CharadesVideo],
        request: DataRequest, name: String, classNames: [String] = CharadesAnnotations.classNames,
        categoryNames: [String] = ActionGenomeReader.categoryNames, featureExtraction: String? = nil
    ) -> DataSplits {
        if !skipped.isEmpty { logger.warning("skipped \(skipped.count) videos without data (--skip-missing)") }
        var info = DatasetInfo(
            name: name, task: .video, featureSize: featureSize, categoryNames: categoryNames, classNames: classNames)
        info.featureExtraction = featureExtraction
        let all = Dataset(info: info, source: source)
        let skippedSet = Set(skipped)
        let presentTrain = train.filter { !skippedSet.contains($0.id) }
        let presentTest = test.filter { !skippedSet.contains($0.id) }
        let (t, v) = VideoSplits.byVideo(
            videoIDs: presentTrain.map(\.id), validationFraction: request.validationFraction, seed: request.splitSeed)
        let testIndices = Array(presentTrain.count..<(presentTrain.count + presentTest.count))
        if train.isEmpty && test.isEmpty {
            return DataSplits(
                info: info, train: all.subset([]), validation: nil, test: nil, all: all,
                description: "\(name) \(request.data?.path ?? "") unlabelled")
        }
        return DataSplits(
            info: info, train: all.subset(t), validation: v.isEmpty ? nil : all.subset(v),
            test: testIndices.isEmpty ? nil : all.subset(testIndices), all: all,
            description:
                "\(name) \(request.data?.path ?? "") \(request.annotations?.path ?? "") split \(request.validationFraction) seed \(request.splitSeed)"
        )
    }
}
