import Foundation

/// What runs an ONNX detector: ONNX Runtime (`ONNXRuntimeEngine`, the default where its library
/// is installed) or OpenCV's DNN module (`OpenCVEngine`). `--onnx-runtime` chooses.
protocol ONNXEngine: AnyObject, Sendable {
    /// "ONNX Runtime 1.32.0", for summaries.
    var name: String { get }
    /// The input size the model declares (width, height), if it fixes one.
    var declaredInput: (width: Int, height: Int)? { get }
    /// The model's outputs for `image` scaled into a `width` × `height` input: letterboxed
    /// (`Letterbox`, grey 114 around it) or stretched. Called from several threads at once.
    func run(_ image: RGBImage, width: Int, height: Int, letterbox: Bool) throws -> [DetectorOutputs.Output]
}

/// How a frame fits a detector's input keeping its aspect: scaled by `scale` to `width` ×
/// `height` pixels and centred (`offsetX`, `offsetY`). OpenCV's path (CVision.cpp) computes the same.
struct Letterbox {
    let scale: Double
    let width: Int
    let height: Int
    let offsetX: Int
    let offsetY: Int

    init(frameWidth: Int, frameHeight: Int, inputWidth: Int, inputHeight: Int) {
        scale = min(Double(inputWidth) / Double(frameWidth), Double(inputHeight) / Double(frameHeight))
        width = max(1, Int(Double(frameWidth) * scale + 0.5))
        height = max(1, Int(Double(frameHeight) * scale + 0.5))
        offsetX = (inputWidth - width) / 2
        offsetY = (inputHeight - height) / 2
    }
}

/// The engine `--onnx-runtime` names for `model`: `auto` takes ONNX Runtime where it loads,
/// else OpenCV.
enum ONNXEngines {
    static let choices = ["auto", "onnxruntime", "opencv"]

    static func make(_ model: URL, runtime: String) throws -> any ONNXEngine {
        switch runtime {
        case "opencv": return try OpenCVEngine(model: model)
        case "onnxruntime": return try ONNXRuntimeEngine(model: model, library: try ONNXRuntimeLibrary.load())
        default:
            if let library = try? ONNXRuntimeLibrary.load() {
                return try ONNXRuntimeEngine(model: model, library: library)
            }
            return try OpenCVEngine(model: model)
        }
    }
}
