import HOIData

extension DataRequest {
    /// A small synthetic benchmark in its online task: every clip at 25, 50, 75 and 100 % of
    /// its frames, so each split holds four prefixes per clip.
    public static func syntheticOnline(trainClips: Int, validationClips: Int, testClips: Int) -> DataRequest {
        var request = DataRequest()
        request[DataSettings.dataset] = SyntheticDataset.name
        request[DataSettings.task] = SyntheticDataset.online
        request[SyntheticDataset.trainClips] = trainClips
        request[SyntheticDataset.validationClips] = validationClips
        request[SyntheticDataset.testClips] = testClips
        return request
    }
}
