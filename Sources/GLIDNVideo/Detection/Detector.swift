import Foundation
import Settings

/// Finds people and objects in a frame. A new detector is one file: a `DetectorKind` (its
/// name, which `--detector` gives, and how it is made) and one line in `Catalogues.detectors`.
/// `detect` is called from several threads at once (the frames of a batch spread over the
/// cores): a detector that keeps state between calls guards it (`ONNXDetector`).
public protocol Detector: AnyObject, Sendable {
    /// Its classes, by index: a detection's `classIndex` names one.
    var classNames: [String] { get }
    /// The classes that are people.
    var humanClasses: Set<Int> { get }
    /// What it is, for logs and reports ("OpenCV 4.6.0 HOG people detector, …").
    var summary: String { get }
    func detect(_ image: RGBImage) throws -> [Detection]
}

/// A kind of detector `--detector` chooses.
public protocol DetectorKind: Named {
    /// Whether `--detector value` names this kind (a name, or a file it reads).
    static func matches(_ value: String) -> Bool
    /// A detector for `value` with the extraction's settings.
    static func make(_ value: String, settings: ExtractionSettings) throws -> any Detector
}

extension Catalogues {
    /// Every kind of detector, in the order `--detector` values are tried.
    public static let detectors = Catalogue<any DetectorKind.Type>(
        option: "--detector",
        [
            HOGPeopleDetectorKind.self,
            ONNXDetectorKind.self,
        ])
}

/// A detector that cannot be made or run, naming its file or kind and the problem.
public struct DetectorError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

public enum Detectors {
    /// The detector `value` names: a kind's name, or a model file.
    public static func make(_ value: String, settings: ExtractionSettings) throws -> any Detector {
        guard let kind = Catalogues.detectors.entries.first(where: { $0.matches(value) }) else {
            throw DetectorError(
                "--detector '\(value)' is neither a built-in detector (\(Catalogues.detectors.names.filter { $0 != ONNXDetectorKind.name }.joined(separator: ", "))) nor an .onnx model"
            )
        }
        return try kind.make(value, settings: settings)
    }
}
