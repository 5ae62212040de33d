import Foundation
import GLIDNVideo
import HOIData

/// The readers of outside bytes that came with video: the decoder (FFmpeg behind CVideo), MOT
/// box files, class lists, labels.csv, extraction manifests and detectors' output tensors.
enum VideoFuzzTargets {
    static let names = ["video", "mot-csv", "class-names", "video-labels", "extraction-manifest", "detector-outputs"]

    static func run(_ name: String, _ data: Data) {
        switch name {
        case "video": decode(data)
        case "mot-csv": _ = try? MOTDetections.parse(data, classes: 8)
        case "class-names": _ = try? ClassNames.parse(data)
        case "video-labels": _ = try? VideoLabels.parse(data, actions: ["walk", "sit", "drink"])
        case "extraction-manifest":
            if let text = try? VideoFeaturesDataset.extractionSettings(manifest: data, source: "fuzz-input") {
                _ = try? ExtractionSettings.decode(settingsJSON: text, source: "fuzz-input")
            }
        case "detector-outputs": detectorOutputs(data)
        default: preconditionFailure("unknown video fuzz target '\(name)'")
        }
    }

    /// The bytes as a video file: opened and read for at most 30 frames (a file per process,
    /// since FFmpeg reads from paths).
    static func decode(_ data: Data) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("glidn-fuzz-video-\(getpid())")
        guard (try? data.write(to: url)) != nil else { return }
        defer { try? FileManager.default.removeItem(at: url) }
        guard let reader = try? VideoReader(url) else { return }
        for _ in 0..<30 { guard (try? reader.next()) != nil else { return } }
    }

    /// The bytes as detector outputs: the first byte the number of outputs (1…3), then per
    /// output a rank (1…3) and its dimensions (a byte each), then the values as floats, as
    /// many as there are (shapes may lie about them); decoded for 1…8 classes.
    static func detectorOutputs(_ data: Data) {
        let bytes = [UInt8](data)
        var at = 0
        func byte() -> Int {
            defer { at += 1 }
            return at < bytes.count ? Int(bytes[at]) : 0
        }
        let count = 1 + byte() % 3
        var shapes: [[Int]] = []
        for _ in 0..<count { shapes.append((0...(byte() % 3)).map { _ in byte() }) }
        let classes = 1 + byte() % 8
        var values: [Float] = []
        while at + 4 <= bytes.count {
            values.append(
                Float(
                    bitPattern: UInt32(
                        littleEndian: bytes[at..<(at + 4)].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) })))
            at += 4
        }
        var start = 0
        let outputs = shapes.enumerated().map { (i, shape) -> DetectorOutputs.Output in
            let n = min(shape.reduce(1, *), values.count - start)
            defer { start += n }
            return DetectorOutputs.Output(name: "o\(i)", shape: shape, values: Array(values[start..<(start + n)]))
        }
        let geometry = DetectorOutputs.Geometry(
            scaleX: 0.5, scaleY: 0.5, offsetX: 0, offsetY: 8, inputWidth: 64, inputHeight: 64, frameWidth: 128,
            frameHeight: 112)
        guard let layout = try? DetectorOutputs.layout(of: outputs, classes: classes) else { return }
        _ = try? DetectorOutputs.decode(
            outputs, layout: layout, classes: classes, geometry: geometry, threshold: 0.25, overlap: 0.5)
    }
}
