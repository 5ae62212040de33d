import CVision
import Foundation

/// Any object detector exported to ONNX (`--detector model.onnx --classes names.txt`), run by
/// OpenCV's DNN module: the frame letterboxed (YOLO layouts) or stretched (SSD) to the model's
/// square input, its outputs decoded by `DetectorOutputs`. The layout is found from the outputs'
/// shapes on a first run over a blank frame. An OpenCV network keeps its outputs between runs,
/// so each thread that detects at the same time gets its own copy (`idle`).
public final class ONNXDetector: Detector, @unchecked Sendable {
    public let classNames: [String]
    public let humanClasses: Set<Int>
    public let layout: DetectorOutputs.Layout
    let handle: OpaquePointer
    /// Networks not in use; more are opened as threads need them (one per concurrent `detect`).
    private var idle: [OpaquePointer] = []
    private var opened: [OpaquePointer] = []
    private let lock = NSLock()
    let model: URL
    let inputSize: Int
    let threshold: Float
    let overlap: Float

    public init(model: URL, classNames: [String], inputSize: Int, threshold: Float, overlap: Float) throws {
        guard InputFileKind.regular(model.path) else {
            throw DetectorError("--detector \(model.path): \(VideoReader.refusedKind(model.path) ?? "not a file")")
        }
        var error = [CChar](repeating: 0, count: 1024)
        guard let handle = glidn_dnn_open(model.path, &error, Int32(error.count)) else {
            throw DetectorError("--detector \(model.path): \(cMessage(error))")
        }
        self.handle = handle
        (self.model, self.classNames, self.inputSize, self.threshold, self.overlap) = (
            model, classNames, inputSize, threshold, overlap
        )
        humanClasses = ClassNames.humans(classNames)
        let probe = RGBImage(width: inputSize, height: inputSize, colour: 0x727272)
        let outputs: [DetectorOutputs.Output]
        do {
            outputs = try Self.run(handle, probe, inputSize: inputSize, letterbox: true)
        } catch {
            // Most often the model's input has a fixed size other than --detector-size: say which.
            let fits = Self.commonSizes.filter { $0 != inputSize }.first { size in
                (try? Self.run(
                    handle, RGBImage(width: size, height: size, colour: 0x727272), inputSize: size, letterbox: true))
                    != nil
            }
            glidn_dnn_free(handle)
            let hint =
                fits.map { " (it runs at --detector-size \($0): its input is \($0) × \($0) pixels)" }
                ?? " at --detector-size \(inputSize)"
            throw DetectorError("--detector \(model.path): \(error)\(hint)")
        }
        guard let found = try? DetectorOutputs.layout(of: outputs, classes: classNames.count) else {
            glidn_dnn_free(handle)
            throw DetectorError(
                "--detector \(model.path): \(DetectorOutputs.problem(outputs, classes: classNames.count))")
        }
        layout = found
        idle = [handle]
    }

    deinit {
        glidn_dnn_free(handle)
        for net in opened { glidn_dnn_free(net) }
    }

    /// Runs `body` with a network no other thread is using.
    func withNetwork<T>(_ body: (OpaquePointer) throws -> T) throws -> T {
        lock.lock()
        var net = idle.popLast()
        lock.unlock()
        if net == nil {
            var error = [CChar](repeating: 0, count: 1024)
            guard let copy = glidn_dnn_open(model.path, &error, Int32(error.count)) else {
                throw DetectorError("--detector \(model.path): \(cMessage(error))")
            }
            lock.lock()
            opened.append(copy)
            lock.unlock()
            net = copy
        }
        defer {
            lock.lock()
            idle.append(net!)
            lock.unlock()
        }
        return try body(net!)
    }

    /// The input sizes detectors are commonly exported at, tried when the model fails at the one given.
    static let commonSizes = [320, 416, 512, 640, 1024, 1280]

    public var summary: String {
        "\(model.lastPathComponent) (\(layout.rawValue) layout, \(classNames.count) classes, \(inputSize) × \(inputSize) input) on \(VisionLibrary.version)'s DNN module"
    }

    /// The model's outputs for `image`.
    static func run(_ handle: OpaquePointer, _ image: RGBImage, inputSize: Int, letterbox: Bool) throws
        -> [DetectorOutputs.Output]
    {
        var error = [CChar](repeating: 0, count: 1024)
        let count = glidn_dnn_run(
            handle, image.bytes, Int32(image.width), Int32(image.height), Int32(inputSize), Int32(inputSize),
            letterbox ? 1 : 0, &error, Int32(error.count))
        guard count >= 0 else { throw DetectorError(cMessage(error)) }
        return (0..<count).map { i in
            var shape = [Int32](repeating: 0, count: 8)
            let rank = Int(glidn_dnn_output_shape(handle, i, &shape, 8))
            let dims = shape.prefix(min(rank, 8)).map(Int.init)
            let total = dims.reduce(1) { $0 &* max($1, 0) }
            let values =
                glidn_dnn_output_values(handle, i).map { Array(UnsafeBufferPointer(start: $0, count: total)) } ?? []
            return DetectorOutputs.Output(
                name: String(cString: glidn_dnn_output_name(handle, i)), shape: dims, values: values)
        }
    }

    public func detect(_ image: RGBImage) throws -> [Detection] {
        let letterbox = layout != .ssd
        let outputs: [DetectorOutputs.Output]
        do {
            outputs = try withNetwork { try Self.run($0, image, inputSize: inputSize, letterbox: letterbox) }
        } catch {
            throw DetectorError("--detector \(model.path): \(error)")
        }
        let size = Float(inputSize)
        var g = DetectorOutputs.Geometry(
            scaleX: size / Float(image.width), scaleY: size / Float(image.height), offsetX: 0, offsetY: 0,
            inputWidth: size, inputHeight: size, frameWidth: image.width, frameHeight: image.height)
        if letterbox {
            let scale = min(size / Float(image.width), size / Float(image.height))
            let (w, h) = ((Float(image.width) * scale).rounded(), (Float(image.height) * scale).rounded())
            (g.scaleX, g.scaleY) = (scale, scale)
            (g.offsetX, g.offsetY) = (Float(Int(size - w) / 2), Float(Int(size - h) / 2))
        }
        return try DetectorOutputs.decode(
            outputs, layout: layout, classes: classNames.count, geometry: g, threshold: threshold,
            overlap: overlap)
    }
}

public enum ONNXDetectorKind: DetectorKind {
    public static let name = "onnx"
    public static let summary =
        "any detector exported to ONNX (YOLOv5, YOLOv8 or SSD outputs), run by OpenCV's DNN module; --detector model.onnx --classes names.txt"
    public static func matches(_ value: String) -> Bool { value.lowercased().hasSuffix(".onnx") }
    public static func make(_ value: String, settings: ExtractionSettings) throws -> any Detector {
        guard let classes = settings.classes else {
            throw DetectorError("--detector \(value) needs --classes, a file of its class names, one per line")
        }
        return try ONNXDetector(
            model: URL(fileURLWithPath: value), classNames: try ClassNames.read(URL(fileURLWithPath: classes)),
            inputSize: settings.detectorSize, threshold: settings.lowestScore, overlap: settings.overlap)
    }
}

/// Whether a path is a regular file (outside inputs are checked by kind before any library opens them).
enum InputFileKind {
    static func regular(_ path: String) -> Bool { VideoReader.refusedKind(path) == nil }
}
