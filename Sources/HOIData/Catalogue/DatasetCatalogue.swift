/// Every data set the tools can read, by `--dataset` name. A new data set is one file (a
/// `DatasetProvider`) and one line here.
public enum DatasetCatalogue {
    public static let providers: [any DatasetProvider.Type] = [
        SyntheticDataset.self,
        CAD120LightenDataset.self,
        CAD120RawDataset.self,
        CAD120GroundTruthDataset.self,
        CharadesFeaturesDataset.self,
        CharadesActionGenomeDataset.self,
    ]

    public static var names: [String] { providers.map { $0.name } }

    public static func provider(named name: String) -> (any DatasetProvider.Type)? {
        providers.first { $0.name == name }
    }

    /// Loads `name` as `request` asks, after checking the request.
    public static func load(_ name: String, _ request: DataRequest) throws -> DataSplits {
        guard let provider = provider(named: name) else {
            throw DataRequestError("unknown data set '\(name)' (known: \(names.joined(separator: ", ")))")
        }
        if let problem = provider.problems(in: request).first { throw DataRequestError(problem) }
        if let task = request.task, !provider.tasks.contains(task) {
            throw DataRequestError("--dataset \(name) serves the task\(provider.tasks.count == 1 ? "" : "s") \(provider.tasks.joined(separator: ", ")), not '\(task)'")
        }
        return try provider.load(request)
    }
}
