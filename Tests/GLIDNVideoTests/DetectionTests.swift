import Foundation
import GLIDNVideo
import HOIData
import Synchronization
import Testing

@Suite("Detectors, detections and tracks")
struct DetectionTests {
    /// Equal to a thousandth of a pixel (boxes in [0, 1] times the input size are not exact).
    func close(_ a: PixelBox, _ b: PixelBox, within limit: Float = 1e-3) -> Bool {
        max(abs(a.x1 - b.x1), abs(a.y1 - b.y1), abs(a.x2 - b.x2), abs(a.y2 - b.y2)) < limit
    }

    static let geometry = DetectorOutputs.Geometry(
        scaleX: 1, scaleY: 1, offsetX: 0, offsetY: 0, inputWidth: 100, inputHeight: 100, frameWidth: 100,
        frameHeight: 100)

    @Test("YOLOv8 [1, 4 + C, N]: boxes from centres, the best class, score threshold and NMS")
    func yolov8() throws {
        // Three candidates, 2 classes: two overlapping of class 1 (the weaker goes), one of class 0.
        let n = 3
        var v = [Float](repeating: 0, count: (4 + 2) * n)
        let rows: [[Float]] = [[50, 50, 20, 20, 0.1, 0.9], [51, 50, 20, 20, 0.2, 0.8], [10, 10, 8, 8, 0.7, 0.1]]
        for (i, r) in rows.enumerated() { for c in 0..<6 { v[c * n + i] = r[c] } }
        let outputs = [DetectorOutputs.Output(name: "output0", shape: [1, 6, n], values: v)]
        #expect(try DetectorOutputs.layout(of: outputs, classes: 2) == .yolov8)
        let found = try DetectorOutputs.decode(
            outputs, layout: .yolov8, classes: 2, geometry: Self.geometry, threshold: 0.5, overlap: 0.5)
        #expect(found.count == 2)
        #expect(
            found[0].classIndex == 1 && found[0].score == 0.9
                && found[0].box == PixelBox(x1: 40, y1: 40, x2: 60, y2: 60))
        #expect(found[1].classIndex == 0 && found[1].box == PixelBox(x1: 6, y1: 6, x2: 14, y2: 14))
    }

    @Test("YOLOv5 [1, N, 5 + C]: objectness times class score; the letterbox undone")
    func yolov5() throws {
        let outputs = [DetectorOutputs.Output(name: "o", shape: [1, 1, 7], values: [60, 60, 20, 40, 0.8, 0.5, 1])]
        #expect(try DetectorOutputs.layout(of: outputs, classes: 2) == .yolov5)
        // A 200 × 100 frame letterboxed into 100 × 100: scale 0.5, 25 pixels of padding above.
        let g = DetectorOutputs.Geometry(
            scaleX: 0.5, scaleY: 0.5, offsetX: 0, offsetY: 25, inputWidth: 100, inputHeight: 100,
            frameWidth: 200, frameHeight: 100)
        let found = try DetectorOutputs.decode(
            outputs, layout: .yolov5, classes: 2, geometry: g, threshold: 0.5, overlap: 0.5)
        #expect(found.count == 1 && found[0].classIndex == 1 && abs(found[0].score - 0.8) < 1e-6)
        // Centre (60, 60), 20 × 40 in the input: x 50…70, y 40…80; in the frame x 100…140, y 30…110, clipped to 100.
        #expect(close(found[0].box, PixelBox(x1: 100, y1: 30, x2: 140, y2: 100)))
    }

    @Test("SSD: boxes [1, N, 4] in [0, 1] with scores and classes, or with a score per class")
    func ssd() throws {
        let boxes = DetectorOutputs.Output(
            name: "boxes", shape: [1, 2, 4], values: [0.1, 0.1, 0.3, 0.3, 0.5, 0.5, 0.9, 0.7])
        let separate = [
            boxes, .init(name: "scores", shape: [1, 2], values: [0.9, 0.3]),
            .init(name: "classes", shape: [1, 2], values: [2, 1]),
        ]
        #expect(try DetectorOutputs.layout(of: separate, classes: 3) == .ssd)
        let found = try DetectorOutputs.decode(
            separate, layout: .ssd, classes: 3, geometry: Self.geometry, threshold: 0.5, overlap: 0.5)
        #expect(
            found.count == 1 && found[0].classIndex == 2
                && close(found[0].box, PixelBox(x1: 10, y1: 10, x2: 30, y2: 30)))
        let perClass = [boxes, .init(name: "scores", shape: [1, 2, 3], values: [0.1, 0.2, 0.3, 0.05, 0.95, 0])]
        let best = try DetectorOutputs.decode(
            perClass, layout: .ssd, classes: 3, geometry: Self.geometry, threshold: 0.5, overlap: 0.5)
        #expect(
            best.count == 1 && best[0].classIndex == 1 && close(best[0].box, PixelBox(x1: 50, y1: 50, x2: 90, y2: 70)))
    }

    @Test("outputs of any other shape are an error naming them and the layouts expected")
    func wrongOutputs() {
        let odd = [DetectorOutputs.Output(name: "output0", shape: [1, 7], values: [Float](repeating: 0, count: 7))]
        #expect { try DetectorOutputs.layout(of: odd, classes: 3) } throws: {
            "\($0)".contains("output0 [1, 7]") && "\($0)".contains("YOLOv5 [1, N, 8], YOLOv8 [1, 7, N]")
        }
        let lying = [DetectorOutputs.Output(name: "x", shape: [1, 7, 1000], values: [0, 1])]
        #expect { try DetectorOutputs.layout(of: lying, classes: 3) } throws: {
            "\($0)".contains("does not hold 2 values")
        }
    }

    static let syntheticClasses = VideoFixtures.url("../../../tools/video/synthetic_classes.txt").standardized.path
    static let syntheticModel = VideoFixtures.url("../../../tools/video/synthetic_detector.onnx").standardized.path

    @Test(
        "an ONNX model with outputs of no layout, one that is no model, and a missing model or class list, are refused by name",
        arguments: ["onnxruntime", "opencv"])
    func badModels(runtime: String) throws {
        var settings = ExtractionSettings()
        settings[VideoSettings.classes] = Self.syntheticClasses
        settings[VideoSettings.onnxRuntime] = runtime
        let bad = VideoFixtures.url("bad-outputs.onnx").path
        #expect { _ = try Detectors.make(bad, settings: settings) } throws: {
            "\($0)".contains(bad) && "\($0)".contains("fit no layout for 7 classes")
        }
        let folder = VideoFixtures.scratch("models-\(runtime)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = folder.appendingPathComponent("text.onnx")
        try "not a model".write(to: text, atomically: true, encoding: .utf8)
        #expect { _ = try Detectors.make(text.path, settings: settings) } throws: {
            "\($0)".hasPrefix("--detector \(text.path): ")
                && "\($0)".contains(runtime == "opencv" ? "OpenCV" : "ONNX Runtime cannot load it")
        }
        #expect { _ = try Detectors.make("/nonexistent/model.onnx", settings: settings) } throws: {
            "\($0)".contains("/nonexistent/model.onnx") && "\($0)".contains("no such file")
        }
        #expect { _ = try Detectors.make(bad, settings: ExtractionSettings()) } throws: {
            "\($0)".contains("needs --classes")
        }
        #expect { _ = try Detectors.make("yolo", settings: settings) } throws: {
            "\($0)".contains("neither a built-in detector (hog)")
        }
    }

    @Test("ONNX Runtime: the library's version, its function table as CONNXRuntime declares it, a model's input size")
    func onnxRuntimeLibrary() throws {
        let library = try ONNXRuntimeLibrary.load()
        #expect(
            library.version.split(separator: ".").count == 3 && library.version.hasPrefix("1."), "\(library.version)")
        #expect(ONNXRuntimeLibrary.checkFunctionTable())
        // The synthetic detector declares a 320 × 320 input: no --detector-size needed.
        var settings = ExtractionSettings()
        settings[VideoSettings.classes] = Self.syntheticClasses
        settings[VideoSettings.onnxRuntime] = "onnxruntime"
        let detector = try Detectors.make(Self.syntheticModel, settings: settings)
        #expect(detector.summary.contains("320 × 320 input) on ONNX Runtime \(library.version)"), "\(detector.summary)")
    }

    /// A rendered frame of a person, moved `k` steps to the right.
    static func person(_ k: Int) -> (RGBImage, PixelBox) {
        var image = RGBImage(width: 320, height: 240, colour: 0xD0C8B8)
        let x = 20 + 30 * Float(k)
        image.fill(PixelBox(x1: x, y1: 95, x2: x + 30, y2: 150), colour: 0x3060C0)
        image.fill(PixelBox(x1: x + 7, y1: 80, x2: x + 23, y2: 95), colour: 0xF0C8A0)
        return (image, PixelBox(x1: x, y1: 80, x2: x + 30, y2: 150))
    }

    @Test(
        "the synthetic renders' detector finds a rendered person, the same on both runtimes and on many threads at once"
    )
    func syntheticDetector() throws {
        var settings = ExtractionSettings()
        settings[VideoSettings.classes] = Self.syntheticClasses
        settings[VideoSettings.onnxRuntime] = "opencv"
        // OpenCV cannot tell the model's input size: at the default 640 it fails, and the message
        // says the size that works.
        #expect { _ = try Detectors.make(Self.syntheticModel, settings: settings) } throws: {
            "\($0)".contains("it runs at --detector-size 320")
        }
        settings[VideoSettings.detectorSize] = 320
        let opencv = try Detectors.make(Self.syntheticModel, settings: settings)
        settings[VideoSettings.onnxRuntime] = "onnxruntime"
        let onnxRuntime = try Detectors.make(Self.syntheticModel, settings: settings)
        let images = (0..<8).map { Self.person($0) }
        for detector in [opencv, onnxRuntime] {
            let alone = try images.map { try detector.detect($0.0) }
            for (k, found) in alone.enumerated() {
                #expect(
                    found.contains { $0.classIndex == 0 && $0.box.intersectionOverUnion(images[k].1) > 0.5 },
                    "\(detector.summary): \(found)")
            }
            // Many threads at once find what one finds alone.
            let together = Mutex<[[Detection]]>(Array(repeating: [], count: images.count))
            DispatchQueue.concurrentPerform(iterations: images.count * 4) { i in
                let found = (try? detector.detect(images[i % images.count].0)) ?? []
                if i < images.count { together.withLock { $0[i] = found } }
            }
            #expect(together.withLock { $0 } == alone)
        }
        // The two runtimes agree to a hundredth of a pixel and of a score.
        for (image, _) in images {
            let (a, b) = (try opencv.detect(image), try onnxRuntime.detect(image))
            #expect(a.count == b.count)
            for (x, y) in zip(a, b) {
                #expect(
                    x.classIndex == y.classIndex && abs(x.score - y.score) < 0.01 && close(x.box, y.box, within: 0.01))
            }
        }
    }

    @Test("the minimum-cost assignment equals brute force on small matrices of any shape")
    func assignment() {
        var state: UInt64 = 7
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1
            return Double(state >> 40) / Double(1 << 24)
        }
        for (rows, columns) in [(3, 3), (2, 4), (4, 2), (5, 5), (1, 3)] {
            let cost = (0..<rows).map { _ in (0..<columns).map { _ in next() } }
            let assigned = Assignment.minimumCost(cost)
            var total = 0.0
            for (row, column) in assigned.enumerated() { if let column { total += cost[row][column] } }
            func best(_ r: Int, _ used: Set<Int>) -> Double {
                guard r < rows else { return 0 }
                if rows > columns, rows - r > columns - used.count {
                    // More rows than columns: a row may go unassigned.
                    return min(
                        best(r + 1, used),
                        (0..<columns).filter { !used.contains($0) }.map { cost[r][$0] + best(r + 1, used.union([$0])) }
                            .min() ?? .infinity)
                }
                return (0..<columns).filter { !used.contains($0) }.map { cost[r][$0] + best(r + 1, used.union([$0])) }
                    .min() ?? 0
            }
            #expect(abs(total - best(0, [])) < 1e-9, "\(rows) × \(columns)")
            let columnsUsed = assigned.compactMap { $0 }
            #expect(Set(columnsUsed).count == columnsUsed.count && columnsUsed.count == min(rows, columns))
        }
    }

    @Test("the tracker keeps ids through motion and a gap, and starts new ids in order")
    func tracker() {
        var tracker = Tracker()
        func box(_ x: Float, _ y: Float) -> PixelBox { PixelBox(x1: x, y1: y, x2: x + 20, y2: y + 40) }
        var ids: [[Int]] = []
        for f in 0..<10 {
            var detections = [Detection(box: box(10 + 3 * Float(f), 10), classIndex: 0, score: 1)]
            // The second entity is unseen in frames 4 and 5, then comes back where its motion says.
            if f != 4 && f != 5 {
                detections.append(Detection(box: box(200 - 2 * Float(f), 100), classIndex: 1, score: 1))
            }
            ids.append(tracker.update(frame: f, detections: detections))
        }
        #expect(ids.allSatisfy { $0.first == 0 } && ids.filter { $0.count == 2 }.allSatisfy { $0[1] == 1 })
        #expect(tracker.nextID == 2)
        // Another class at the same place is another track.
        #expect(tracker.update(frame: 10, detections: [Detection(box: box(40, 10), classIndex: 2, score: 1)]) == [2])
    }

    @Test("weak detections continue tracks but start none (ByteTrack's second round)")
    func weakDetections() {
        var settings = Tracker.Settings()
        settings.newTrackScore = 0.5
        var tracker = Tracker(settings: settings)
        func box(_ x: Float) -> PixelBox { PixelBox(x1: x, y1: 10, x2: x + 20, y2: 50) }
        #expect(tracker.update(frame: 0, detections: [Detection(box: box(10), classIndex: 0, score: 0.9)]) == [0])
        // Half hidden: a weak detection where the track goes keeps it; a weak one elsewhere is dropped.
        let weak = [
            Detection(box: box(13), classIndex: 0, score: 0.2), Detection(box: box(200), classIndex: 0, score: 0.3),
        ]
        #expect(tracker.update(frame: 1, detections: weak) == [0, -1])
        // A confident detection is preferred to a weak one for the same track.
        let both = [
            Detection(box: box(16), classIndex: 0, score: 0.3), Detection(box: box(17), classIndex: 0, score: 0.8),
        ]
        #expect(tracker.update(frame: 2, detections: both) == [-1, 0])
        #expect(tracker.nextID == 1)
    }

    @Test("MOT files and class lists: what they hold, and errors naming the line")
    func files() throws {
        let mot = try MOTDetections.parse(
            Data("1,0,10,20,30,40,0.9,1\n1,1,50,60,10,10,1,0\n2,0,11,20,30,40\n".utf8), classes: 2)
        #expect(
            mot.tracked && mot.rows.count == 3 && mot.rows[0].detection.box == PixelBox(x1: 10, y1: 20, x2: 40, y2: 60))
        #expect(mot.rows[0].detection.classIndex == 1 && mot.rows[2].detection.classIndex == 0)
        #expect(try !MOTDetections.parse(Data("1,-1,0,0,5,5,1,0\n".utf8), classes: 1).tracked)
        for (text, fragment) in [
            ("1,0,10,20\n", "line 1: has 4 fields"), ("0,0,1,1,5,5\n", "not a whole number in 1"),
            ("1,0,1,1,-5,5\n", "positive width"),
            ("1,0,1,1,5,5,1,3\n", "class 3 is not -1 or a class index below 2"),
            ("1,0,1,1,5,5\n1,0,2,2,5,5\n", "line 2: track 0 appears twice"),
            ("1,0,nan,1,5,5\n", "not a finite number"), ("", "holds no box"),
        ] {
            #expect { _ = try MOTDetections.parse(Data(text.utf8), classes: 2) } throws: { "\($0)".contains(fragment) }
        }
        #expect(try ClassNames.parse(Data("# names\nperson\n\ncup\n".utf8)) == ["person", "cup"])
        #expect { _ = try ClassNames.parse(Data("# nothing\n".utf8)) } throws: { "\($0)".contains("no class name") }
        #expect { _ = try ClassNames.parse(Data([0xFF, 0xFE])) } throws: { "\($0)".contains("not UTF-8") }
        #expect(ClassNames.humans(["Person", "cup", "pedestrian"]) == [0, 2])
    }
}

@Suite("Track stitching")
struct TrackStitchingTests {
    static func track(
        _ id: Int, frames: ClosedRange<Int>, x: Float, classIndex: Int = 0, red: Float = 0.5
    ) -> ExtractedTrack {
        var observations: [Int: Observation] = [:]
        for f in frames {
            observations[f] = Observation(
                box: PixelBox(x1: x + Float(f), y1: 10, x2: x + Float(f) + 20, y2: 50), score: 1,
                colourMean: [red, 0.2, 0.2], colourDeviation: [0.1, 0.1, 0.1])
        }
        return ExtractedTrack(id: id, classIndex: classIndex, isHuman: classIndex == 0, observations: observations)
    }

    @Test("the pieces of one entity are joined under the first id; other classes, colours, places and overlaps are not")
    func stitching() {
        let joined = TrackStitching.stitch([
            Self.track(0, frames: 0...9, x: 10), Self.track(3, frames: 13...20, x: 12),  // one entity, broken
            Self.track(1, frames: 0...9, x: 100, classIndex: 1), Self.track(4, frames: 12...20, x: 102, classIndex: 2),
            Self.track(2, frames: 0...9, x: 200, red: 0.9), Self.track(5, frames: 12...20, x: 200, red: 0.1),
            Self.track(6, frames: 0...20, x: 300), Self.track(7, frames: 15...20, x: 302),  // at once: two entities
            Self.track(8, frames: 12...20, x: 400),  // far from where any ended
        ])
        #expect(joined.map(\.id) == [0, 1, 2, 4, 5, 6, 7, 8])
        #expect(joined[0].observations.count == 18 && joined[0].observations[20] != nil)
        var off = TrackStitching.Settings()
        off.maximumGap = 2
        #expect(
            TrackStitching.stitch(
                [Self.track(0, frames: 0...9, x: 10), Self.track(3, frames: 13...20, x: 12)], settings: off
            ).count == 2)
    }
}
