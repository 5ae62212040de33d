import CONNXRuntime
import Foundation

/// ONNX models run by ONNX Runtime (its C API, `CONNXRuntime`), one thread per run: frames
/// are spread over the cores by extraction, and a session's runs may overlap. The frame is
/// scaled (OpenCV's resize), placed into the input (letterboxed or stretched), and laid out as
/// the planes of red, green and blue in [0, 1], as YOLO and SSD exports expect.
final class ONNXRuntimeEngine: ONNXEngine, @unchecked Sendable {
    let model: URL
    let library: ONNXRuntimeLibrary
    private let handle: OpaquePointer
    let declaredInput: (width: Int, height: Int)?

    init(model: URL, library: ONNXRuntimeLibrary) throws {
        (self.model, self.library) = (model, library)
        var error = [CChar](repeating: 0, count: 1024)
        guard let handle = glidn_ort_open(model.path, 1, &error, Int32(error.count)) else {
            throw DetectorError(cMessage(error))
        }
        self.handle = handle
        var shape = [Int64](repeating: 0, count: 8)
        let rank = glidn_ort_input_shape(handle, &shape, 8)
        guard rank == 4, shape[1] == 3 || shape[1] < 0 else {
            glidn_ort_close(handle)
            let described =
                rank < 0
                ? "not a float tensor" : "[\(shape.prefix(Int(max(rank, 0))).map(String.init).joined(separator: ", "))]"
            throw DetectorError(
                "its input is \(described); an image detector takes float [1, 3, height, width] (RGB planes)")
        }
        declaredInput = shape[2] > 0 && shape[3] > 0 ? (Int(shape[3]), Int(shape[2])) : nil
    }

    deinit { glidn_ort_close(handle) }

    var name: String { "ONNX Runtime \(library.version)" }

    func run(_ image: RGBImage, width: Int, height: Int, letterbox: Bool) throws -> [DetectorOutputs.Output] {
        let input = Self.planes(image, width: width, height: height, letterbox: letterbox)
        var error = [CChar](repeating: 0, count: 1024)
        let shape: [Int64] = [1, 3, Int64(height), Int64(width)]
        guard let result = glidn_ort_run(handle, input, shape, 4, &error, Int32(error.count)) else {
            throw DetectorError(cMessage(error))
        }
        defer { glidn_ort_result_free(result) }
        return (0..<glidn_ort_output_count(handle)).map { i in
            var dims = [Int64](repeating: 0, count: 8)
            glidn_ort_result_shape(result, i, &dims)
            let rank = Int(glidn_ort_result_rank(result, i))
            let count = Int(glidn_ort_result_count(result, i))
            let values = glidn_ort_result_values(result, i).map { Array(UnsafeBufferPointer(start: $0, count: count)) }
            return DetectorOutputs.Output(
                name: String(cString: glidn_ort_output_name(handle, i)), shape: dims.prefix(rank).map { Int($0) },
                values: values ?? [])
        }
    }

    /// The frame as the model's input: [3, height, width] floats in [0, 1], red plane first.
    static func planes(_ image: RGBImage, width: Int, height: Int, letterbox: Bool) -> [Float] {
        let fit =
            letterbox
            ? Letterbox(frameWidth: image.width, frameHeight: image.height, inputWidth: width, inputHeight: height)
            : nil
        let (w, h) = fit.map { ($0.width, $0.height) } ?? (width, height)
        let (x0, y0) = fit.map { ($0.offsetX, $0.offsetY) } ?? (0, 0)
        let scaled = w == image.width && h == image.height ? image : VisionLibrary.resized(image, width: w, height: h)
        let plane = width * height
        var out = [Float](repeating: 114 / 255, count: 3 * plane)
        out.withUnsafeMutableBufferPointer { o in
            scaled.bytes.withUnsafeBufferPointer { p in
                for y in 0..<h {
                    let row = (y + y0) * width + x0
                    for x in 0..<w {
                        let at = (y * w + x) * 3
                        o[row + x] = Float(p[at]) / 255
                        o[plane + row + x] = Float(p[at + 1]) / 255
                        o[2 * plane + row + x] = Float(p[at + 2]) / 255
                    }
                }
            }
        }
        return out
    }
}
