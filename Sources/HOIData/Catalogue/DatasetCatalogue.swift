import Settings

extension Catalogues {
    /// Every data set the tools can read, by `--dataset` name. A new data set is one file (a
    /// `DatasetProvider`) and one line here.
    public static let datasets = Catalogue<any DatasetProvider.Type>(
        option: "--dataset",
        [
            SyntheticDataset.self,
            CAD120LightenDataset.self,
            CAD120RawDataset.self,
            CAD120GroundTruthDataset.self,
            CharadesFeaturesDataset.self,
            CharadesActionGenomeDataset.self,
            VideoFeaturesDataset.self,
        ])
}

extension DataRequest {
    /// The data set the request names.
    public var provider: any DatasetProvider.Type {
        get throws(SettingError) { try Catalogues.datasets.lookUp(datasetName) }
    }

    /// What is wrong with the request before anything is read: a setting the data set does not
    /// read, a task it does not serve, what it lacks (`problems(in:)`); each names its option.
    public func problems() throws(SettingError) -> [String] {
        let provider = try self.provider
        let read = Set(provider.allSettings.map(\.name))
        var problems = values.givenNames.filter { !read.contains($0) }.map { name in
            "--\(name) does not apply to --dataset \(provider.name) (it reads "
                + provider.allSettings.map(\.option).joined(separator: ", ") + ")"
        }
        if let task, !provider.tasks.contains(task) {
            problems.append(
                "--dataset \(provider.name) serves the task\(provider.tasks.count == 1 ? "" : "s") \(provider.tasks.joined(separator: ", ")), not '\(task)'"
            )
        }
        return problems + provider.problems(in: self)
    }

    /// Loads the data, after checking the request.
    public func load() throws -> DataSplits {
        if let problem = try problems().first { throw DataRequestError(problem) }
        let splits = try provider.load(self)
        guard let wanted = values[DataSettings.videoID] else { return splits }
        return try splits.only(videos: wanted.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
    }
}
