import Autograd
import HOIData

/// A data request loaded once, with the identity of every file read for it: a plan that needs
/// the same data several times (the cross-fitted teachers of `--teacher-folds K` each train on
/// the teacher's view of the data) reads the files once and hands the splits round.
struct LoadedData {
    let request: DataRequest
    let splits: DataSplits
    let files: [FileIdentity]

    init(_ request: DataRequest) throws {
        self.request = request
        (splits, files) = try InputFile.recording { try request.load() }
    }

    /// These splits when they were loaded for `request`, else `request` loaded now.
    func reused(for request: DataRequest) throws -> LoadedData {
        request.values == self.request.values ? self : try LoadedData(request)
    }
}
