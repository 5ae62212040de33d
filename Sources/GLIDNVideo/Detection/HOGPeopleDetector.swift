import CVision
import Foundation

/// `hog`: OpenCV's HOG people detector (Dalal & Triggs), whose weights are compiled into
/// OpenCV: it works on a fresh machine with nothing to download. It finds standing and walking
/// people of at least 64 × 128 pixels; no objects, no pose. Frames are scaled to `width` pixels
/// wide first: up, so that smaller people reach the window's size, or down, as the detector's
/// time grows with the pixels (on vtest.avi, 768 wide: 3.55 people per frame at 768, 6.45 at
/// 1152, at 2.4 times the time).
// Sendable: OpenCV's HOGDescriptor::detectMultiScale is a const method that keeps no state
// between calls on the CPU path.
public final class HOGPeopleDetector: Detector, @unchecked Sendable {
    public let classNames = ["person"]
    public let humanClasses: Set<Int> = [0]
    let handle: OpaquePointer
    let scale: Double
    let stride: Int
    let threshold: Double
    let width: Int

    public init(scale: Double = 1.05, stride: Int = 8, threshold: Double = 0, width: Int = 800) throws {
        guard let handle = glidn_hog_create() else {
            throw DetectorError("OpenCV's HOG people detector cannot be created")
        }
        self.handle = handle
        (self.scale, self.stride, self.threshold, self.width) = (scale, stride, threshold, width)
    }

    deinit { glidn_hog_free(handle) }

    public var summary: String {
        "\(VisionLibrary.version) HOG people detector (pyramid step \(scale), stride \(stride), frames scaled to \(width) wide)"
    }

    public func detect(_ image: RGBImage) throws -> [Detection] {
        var input = image
        var factor: Float = 1
        // At most 4 times larger and 8192 high, whatever the frame's shape.
        let resize = min(Double(width) / Double(image.width), 4, 8192 / Double(image.height))
        let (w, h) = (max(1, Int(Double(image.width) * resize)), max(1, Int(Double(image.height) * resize)))
        if w != image.width {
            input = VisionLibrary.resized(image, width: w, height: h)
            factor = Float(image.width) / Float(w)
        }
        var boxes = [Float](repeating: 0, count: 5 * 256)
        var error = [CChar](repeating: 0, count: 512)
        let count = glidn_hog_detect(
            handle, input.bytes, Int32(input.width), Int32(input.height), scale, Int32(stride), threshold,
            &boxes, 256, &error, Int32(error.count))
        guard count >= 0 else { throw DetectorError(cMessage(error)) }
        return (0..<Int(count)).map { i in
            let b = boxes[(5 * i)..<(5 * i + 5)].map { $0 }
            // HOG's margins are unbounded; a logistic squashes them into a score in (0, 1).
            let box = PixelBox(
                x1: b[0] * factor, y1: b[1] * factor, x2: (b[0] + b[2]) * factor, y2: (b[1] + b[3]) * factor)
            return Detection(
                box: box.clipped(width: image.width, height: image.height), classIndex: 0, score: 1 / (1 + exp(-b[4])))
        }
    }
}

public enum HOGPeopleDetectorKind: DetectorKind {
    public static let name = "hog"
    public static let summary = "OpenCV's HOG people detector, built in (people only, nothing to download)"
    public static func matches(_ value: String) -> Bool { value == name }
    public static func make(_ value: String, settings: ExtractionSettings) throws -> any Detector {
        try HOGPeopleDetector(scale: settings[VideoSettings.hogScale], width: settings[VideoSettings.hogWidth])
    }
}

/// OpenCV's version, resizing and drawing.
public enum VisionLibrary {
    public static var version: String {
        var text = [CChar](repeating: 0, count: 128)
        glidn_vision_versions(&text, Int32(text.count))
        return cMessage(text).components(separatedBy: " (").first ?? "OpenCV"
    }

    /// "OpenCV 4.6.0 (2 threads)".
    public static var versionAndThreads: String {
        var text = [CChar](repeating: 0, count: 128)
        glidn_vision_versions(&text, Int32(text.count))
        return cMessage(text)
    }

    public static func resized(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        var out = [UInt8](repeating: 0, count: width * height * 3)
        glidn_resize(image.bytes, Int32(image.width), Int32(image.height), &out, Int32(width), Int32(height))
        return RGBImage(width: width, height: height, bytes: out)
    }
}
