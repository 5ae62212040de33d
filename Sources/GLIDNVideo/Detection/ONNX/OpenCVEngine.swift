import CVision
import Foundation

/// ONNX models run by OpenCV's DNN module (Debian's libopencv-dnn). An OpenCV network keeps its
/// outputs between runs, so each thread that detects at the same time gets its own copy
/// (`idle`). OpenCV 4.6 reads fewer operators than ONNX Runtime (an unsimplified YOLOv8 export
/// fails to load, a simplified one to run): the fallback where ONNX Runtime is not installed.
final class OpenCVEngine: ONNXEngine, @unchecked Sendable {
    let model: URL
    private var idle: [OpaquePointer] = []
    private var opened: [OpaquePointer] = []
    private let lock = NSLock()

    init(model: URL) throws {
        self.model = model
        idle = [try open()]
        opened = idle
    }

    deinit { for net in opened { glidn_dnn_free(net) } }

    var name: String { "\(VisionLibrary.version)'s DNN module" }
    var declaredInput: (width: Int, height: Int)? { nil }  // OpenCV 4.6 does not say

    private func open() throws -> OpaquePointer {
        var error = [CChar](repeating: 0, count: 1024)
        guard let net = glidn_dnn_open(model.path, &error, Int32(error.count)) else {
            throw DetectorError(cMessage(error))
        }
        return net
    }

    /// Runs `body` with a network no other thread is using.
    private func withNetwork<T>(_ body: (OpaquePointer) throws -> T) throws -> T {
        lock.lock()
        var net = idle.popLast()
        lock.unlock()
        if net == nil {
            let copy = try open()
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

    func run(_ image: RGBImage, width: Int, height: Int, letterbox: Bool) throws -> [DetectorOutputs.Output] {
        try withNetwork { net in
            var error = [CChar](repeating: 0, count: 1024)
            let count = glidn_dnn_run(
                net, image.bytes, Int32(image.width), Int32(image.height), Int32(width), Int32(height),
                letterbox ? 1 : 0, &error, Int32(error.count))
            guard count >= 0 else { throw DetectorError(cMessage(error)) }
            return (0..<count).map { i in
                var shape = [Int32](repeating: 0, count: 8)
                let rank = Int(glidn_dnn_output_shape(net, i, &shape, 8))
                let dims = shape.prefix(min(rank, 8)).map(Int.init)
                let total = dims.reduce(1) { $0 &* max($1, 0) }
                let values =
                    glidn_dnn_output_values(net, i).map { Array(UnsafeBufferPointer(start: $0, count: total)) } ?? []
                return DetectorOutputs.Output(
                    name: String(cString: glidn_dnn_output_name(net, i)), shape: dims, values: values)
            }
        }
    }
}
