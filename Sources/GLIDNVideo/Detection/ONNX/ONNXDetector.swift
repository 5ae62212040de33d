import Foundation

/// Any object detector exported to ONNX (`--detector model.onnx --classes names.txt`), run by
/// ONNX Runtime or OpenCV's DNN module (`ONNXEngine`): the frame letterboxed (YOLO layouts) or
/// stretched (SSD) into the model's input (the size it declares, else `--detector-size`
/// square), its outputs decoded by `DetectorOutputs`. The layout is found from the outputs'
/// shapes on a first run over a blank frame.
public final class ONNXDetector: Detector, @unchecked Sendable {
    public let classNames: [String]
    public let humanClasses: Set<Int>
    public let layout: DetectorOutputs.Layout
    let engine: any ONNXEngine
    let model: URL
    let inputWidth: Int
    let inputHeight: Int
    let threshold: Float
    let overlap: Float

    public init(
        model: URL, classNames: [String], inputSize: Int, threshold: Float, overlap: Float, runtime: String = "auto"
    ) throws {
        guard InputFileKind.regular(model.path) else {
            throw DetectorError("--detector \(model.path): \(VideoReader.refusedKind(model.path) ?? "not a file")")
        }
        let engine: any ONNXEngine
        do { engine = try ONNXEngines.make(model, runtime: runtime) } catch {
            throw DetectorError("--detector \(model.path): \(error)")
        }
        self.engine = engine
        (inputWidth, inputHeight) = engine.declaredInput ?? (inputSize, inputSize)
        (self.model, self.classNames, self.threshold, self.overlap) = (model, classNames, threshold, overlap)
        humanClasses = ClassNames.humans(classNames)
        let probe = RGBImage(width: inputWidth, height: inputHeight, colour: 0x727272)
        let outputs: [DetectorOutputs.Output]
        do {
            outputs = try engine.run(probe, width: inputWidth, height: inputHeight, letterbox: true)
        } catch {
            // Most often the model's input has a fixed size other than --detector-size: say which.
            let fits = Self.commonSizes.filter { $0 != inputSize }.first { size in
                (try? engine.run(
                    RGBImage(width: size, height: size, colour: 0x727272), width: size, height: size, letterbox: true))
                    != nil
            }
            let hint =
                fits.map { " (it runs at --detector-size \($0): its input is \($0) × \($0) pixels)" }
                ?? " at --detector-size \(inputSize) on \(engine.name)"
            throw DetectorError("--detector \(model.path): \(error)\(hint)")
        }
        guard let found = try? DetectorOutputs.layout(of: outputs, classes: classNames.count) else {
            throw DetectorError(
                "--detector \(model.path): \(DetectorOutputs.problem(outputs, classes: classNames.count))")
        }
        layout = found
    }

    /// The input sizes detectors are commonly exported at, tried when the model fails at the one given.
    static let commonSizes = [320, 416, 512, 640, 1024, 1280]

    public var summary: String {
        "\(model.lastPathComponent) (\(layout.rawValue) layout, \(classNames.count) classes, \(inputWidth) × \(inputHeight) input) on \(engine.name)"
    }

    public func detect(_ image: RGBImage) throws -> [Detection] {
        let letterbox = layout != .ssd
        let outputs: [DetectorOutputs.Output]
        do {
            outputs = try engine.run(image, width: inputWidth, height: inputHeight, letterbox: letterbox)
        } catch {
            throw DetectorError("--detector \(model.path): \(error)")
        }
        let (w, h) = (Float(inputWidth), Float(inputHeight))
        var g = DetectorOutputs.Geometry(
            scaleX: w / Float(image.width), scaleY: h / Float(image.height), offsetX: 0, offsetY: 0,
            inputWidth: w, inputHeight: h, frameWidth: image.width, frameHeight: image.height)
        if letterbox {
            let fit = Letterbox(
                frameWidth: image.width, frameHeight: image.height, inputWidth: inputWidth, inputHeight: inputHeight)
            (g.scaleX, g.scaleY) = (Float(fit.width) / Float(image.width), Float(fit.height) / Float(image.height))
            (g.offsetX, g.offsetY) = (Float(fit.offsetX), Float(fit.offsetY))
        }
        return try DetectorOutputs.decode(
            outputs, layout: layout, classes: classNames.count, geometry: g, threshold: threshold,
            overlap: overlap)
    }
}

public enum ONNXDetectorKind: DetectorKind {
    public static let name = "onnx"
    public static let summary =
        "any detector exported to ONNX (YOLOv5, YOLOv8 or SSD outputs), run by ONNX Runtime (or OpenCV's DNN module: --onnx-runtime); --detector model.onnx --classes names.txt"
    public static func matches(_ value: String) -> Bool { value.lowercased().hasSuffix(".onnx") }
    public static func make(_ value: String, settings: ExtractionSettings) throws -> any Detector {
        guard let classes = settings.classes else {
            throw DetectorError("--detector \(value) needs --classes, a file of its class names, one per line")
        }
        return try ONNXDetector(
            model: URL(fileURLWithPath: value), classNames: try ClassNames.read(URL(fileURLWithPath: classes)),
            inputSize: settings.detectorSize, threshold: settings.lowestScore, overlap: settings.overlap,
            runtime: settings[VideoSettings.onnxRuntime])
    }
}

/// Whether a path is a regular file (outside inputs are checked by kind before any library opens them).
enum InputFileKind {
    static func regular(_ path: String) -> Bool { VideoReader.refusedKind(path) == nil }
}
