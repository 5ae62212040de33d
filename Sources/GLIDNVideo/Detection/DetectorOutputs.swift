/// The output layouts of object detectors exported to ONNX, decoded into detections: scores
/// thresholded, boxes mapped back to the frame, class by class non-maximum suppression.
///
/// - `yolov8`: one output [1, 4 + C, N] (or [1, N, 4 + C]): box centre, width and height in
///   input pixels, then C class scores;
/// - `yolov5`: one output [1, N, 5 + C]: box centre, width and height, objectness, C class
///   scores (a detection's score is objectness × class score);
/// - `ssd`: boxes [1, N, 4] as (x1, y1, x2, y2) in [0, 1] of the input, with either scores
///   [1, N, C] or scores [1, N] and classes [1, N].
///
/// Every shape is checked against the class count before a value is read: a model with other
/// outputs is an error naming them, never a read out of bounds.
public enum DetectorOutputs {
    public enum Layout: String, CaseIterable, Sendable { case yolov5, yolov8, ssd }

    /// One output tensor.
    public struct Output: Sendable {
        public let name: String
        public let shape: [Int]
        public let values: [Float]
        public init(name: String, shape: [Int], values: [Float]) {
            (self.name, self.shape, self.values) = (name, shape, values)
        }
    }

    /// How input coordinates map to the frame: x_frame = (x_input - offsetX) / scale.
    public struct Geometry: Sendable {
        public var scaleX, scaleY, offsetX, offsetY: Float
        public var inputWidth, inputHeight: Float
        public var frameWidth, frameHeight: Int

        public init(
            scaleX: Float, scaleY: Float, offsetX: Float, offsetY: Float, inputWidth: Float, inputHeight: Float,
            frameWidth: Int, frameHeight: Int
        ) {
            (self.scaleX, self.scaleY, self.offsetX, self.offsetY) = (scaleX, scaleY, offsetX, offsetY)
            (self.inputWidth, self.inputHeight, self.frameWidth, self.frameHeight) = (
                inputWidth, inputHeight, frameWidth, frameHeight
            )
        }
    }

    /// "[1, 84, 8400]" for messages.
    static func describe(_ outputs: [Output]) -> String {
        outputs.map { "\($0.name) [\($0.shape.map(String.init).joined(separator: ", "))]" }.joined(separator: ", ")
    }

    /// Why `outputs` fit no layout, in words.
    public static func problem(_ outputs: [Output], classes: Int) -> String {
        do {
            _ = try layout(of: outputs, classes: classes)
            return "its outputs fit a layout"
        } catch {
            return error.description
        }
    }

    /// The layout `outputs` have for `classes` classes, or an error naming them.
    public static func layout(of outputs: [Output], classes: Int) throws(DetectorError) -> Layout {
        let expected =
            "YOLOv5 [1, N, \(5 + classes)], YOLOv8 [1, \(4 + classes), N] or SSD boxes [1, N, 4] with scores [1, N, \(classes)] or [1, N] and classes [1, N]"
        for o in outputs
        where o.shape.contains(where: { $0 < 0 }) || o.values.count != o.shape.reduce(1, { $0 &* max($1, 0) }) {
            throw DetectorError("the model's output \(describe([o])) does not hold \(o.values.count) values")
        }
        if outputs.count == 1, let o = outputs.first, o.shape.count == 3, o.shape[0] == 1 {
            if o.shape[1] == 4 + classes || o.shape[2] == 4 + classes { return .yolov8 }
            if o.shape[2] == 5 + classes { return .yolov5 }
        }
        if outputs.count == 2 || outputs.count == 3, (try? ssdParts(outputs, classes: classes)) != nil { return .ssd }
        throw DetectorError(
            "the model's outputs \(describe(outputs)) fit no layout for \(classes) classes (expected \(expected))")
    }

    /// Detections scoring at least `threshold`, after non-maximum suppression at `overlap` IoU,
    /// at most `limit`, best first.
    public static func decode(
        _ outputs: [Output], layout: Layout, classes: Int, geometry g: Geometry, threshold: Float,
        overlap: Float, limit: Int = 300
    ) throws(DetectorError) -> [Detection] {
        guard classes > 0 else { throw DetectorError("a detector needs at least one class") }
        var found: [Detection] = []
        func add(cx: Float, cy: Float, w: Float, h: Float, classIndex: Int, score: Float) {
            guard score >= threshold, score.isFinite, cx.isFinite, cy.isFinite, w.isFinite, h.isFinite, w > 0, h > 0
            else { return }
            let box = PixelBox(
                x1: (cx - w / 2 - g.offsetX) / g.scaleX, y1: (cy - h / 2 - g.offsetY) / g.scaleY,
                x2: (cx + w / 2 - g.offsetX) / g.scaleX, y2: (cy + h / 2 - g.offsetY) / g.scaleY
            )
            .clipped(width: g.frameWidth, height: g.frameHeight)
            guard box.area > 0 else { return }
            found.append(Detection(box: box, classIndex: classIndex, score: score))
        }
        switch layout {
        case .yolov8:
            guard outputs.count == 1, outputs[0].shape.count == 3 else {
                throw DetectorError("YOLOv8 needs one output of rank 3, got \(describe(outputs))")
            }
            let o = outputs[0]
            let channelsFirst = o.shape[1] == 4 + classes
            guard channelsFirst || o.shape[2] == 4 + classes else {
                throw DetectorError("YOLOv8 output \(describe(outputs)) is not [1, \(4 + classes), N]")
            }
            let n = channelsFirst ? o.shape[2] : o.shape[1]
            let v = o.values
            func at(_ channel: Int, _ i: Int) -> Float {
                channelsFirst ? v[channel * n + i] : v[i * (4 + classes) + channel]
            }
            for i in 0..<n {
                var best = 0
                for c in 1..<classes where at(4 + c, i) > at(4 + best, i) { best = c }
                add(cx: at(0, i), cy: at(1, i), w: at(2, i), h: at(3, i), classIndex: best, score: at(4 + best, i))
            }
        case .yolov5:
            guard outputs.count == 1, outputs[0].shape.count == 3, outputs[0].shape[2] == 5 + classes else {
                throw DetectorError("YOLOv5 needs one output [1, N, \(5 + classes)], got \(describe(outputs))")
            }
            let (o, width) = (outputs[0], 5 + classes)
            for i in 0..<o.shape[1] {
                let row = o.values[(i * width)..<((i + 1) * width)].map { $0 }
                var best = 0
                for c in 1..<classes where row[5 + c] > row[5 + best] { best = c }
                add(cx: row[0], cy: row[1], w: row[2], h: row[3], classIndex: best, score: row[4] * row[5 + best])
            }
        case .ssd:
            let (boxes, scores, labels) = try ssdParts(outputs, classes: classes)
            let n = boxes.shape[1]
            for i in 0..<n {
                let b = boxes.values[(4 * i)..<(4 * i + 4)].map { $0 }
                var (best, score) = (0, Float(0))
                if let labels {
                    let label = labels.values[i]
                    guard label.isFinite, label >= 0, label < Float(classes) else { continue }
                    (best, score) = (Int(label), scores.values[i])
                } else {
                    for c in 0..<classes where scores.values[i * classes + c] > score {
                        (best, score) = (c, scores.values[i * classes + c])
                    }
                }
                let (x1, y1, x2, y2) = (
                    b[0] * g.inputWidth, b[1] * g.inputHeight, b[2] * g.inputWidth, b[3] * g.inputHeight
                )
                add(cx: (x1 + x2) / 2, cy: (y1 + y2) / 2, w: x2 - x1, h: y2 - y1, classIndex: best, score: score)
            }
        }
        return suppressed(found, overlap: overlap, limit: limit)
    }

    /// SSD's boxes, scores and (if separate) classes, by shape.
    static func ssdParts(_ outputs: [Output], classes: Int) throws(DetectorError) -> (Output, Output, Output?) {
        guard let boxes = outputs.first(where: { $0.shape.count == 3 && $0.shape[0] == 1 && $0.shape[2] == 4 }) else {
            throw DetectorError("no output is SSD boxes [1, N, 4]: \(describe(outputs))")
        }
        let n = boxes.shape[1]
        let rest = outputs.filter { $0.name != boxes.name || $0.shape != boxes.shape }
        if rest.count == 1, rest[0].shape == [1, n, classes] { return (boxes, rest[0], nil) }
        if rest.count == 2, rest.allSatisfy({ $0.shape == [1, n] }) {
            // Scores in [0, 1]; class indices are whole numbers (the first output that is not all whole is the scores).
            let wholes = rest.map { $0.values.allSatisfy { $0 == $0.rounded() } }
            let scoresFirst = !(wholes[0] && !wholes[1])
            return scoresFirst ? (boxes, rest[0], rest[1]) : (boxes, rest[1], rest[0])
        }
        throw DetectorError(
            "the outputs beside SSD boxes \(describe([boxes])) are not scores [1, \(n), \(classes)], nor scores and classes [1, \(n)]: \(describe(rest))"
        )
    }

    /// Greedy non-maximum suppression, class by class: the best detection stays, those of its
    /// class overlapping it by more than `overlap` IoU go.
    public static func suppressed(_ detections: [Detection], overlap: Float, limit: Int) -> [Detection] {
        let ordered = detections.sorted { $0.score > $1.score || ($0.score == $1.score && $0.box.x1 < $1.box.x1) }
        var kept: [Detection] = []
        for d in ordered where kept.count < limit {
            if !kept.contains(where: { $0.classIndex == d.classIndex && $0.box.intersectionOverUnion(d.box) > overlap })
            {
                kept.append(d)
            }
        }
        return kept
    }
}
