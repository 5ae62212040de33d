import CVision
import Foundation

/// `hog`: OpenCV's HOG people detector (Dalal & Triggs), whose weights are compiled into
/// OpenCV: it works on a fresh machine with nothing to download. It finds standing and walking
/// people of at least 64 × 128 pixels; no objects, no pose. Frames wider than `maximumWidth` are
/// scaled down first (the detector's cost grows with the pixels).
public final class HOGPeopleDetector: Detector {
    public let classNames = ["person"]
    public let humanClasses: Set<Int> = [0]
    let handle: OpaquePointer
    let scale: Double
    let stride: Int
    let threshold: Double
    let maximumWidth: Int

    public init(scale: Double = 1.05, stride: Int = 8, threshold: Double = 0, maximumWidth: Int = 800) throws {
        guard let handle = glidn_hog_create() else {
            throw DetectorError("OpenCV's HOG people detector cannot be created")
        }
        self.handle = handle
        (self.scale, self.stride, self.threshold, self.maximumWidth) = (scale, stride, threshold, maximumWidth)
    }

    deinit { glidn_hog_free(handle) }

    public var summary: String {
        "\(VisionLibrary.version) HOG people detector (pyramid step \(scale), stride \(stride), frames at most \(maximumWidth) wide)"
    }

    public func detect(_ image: RGBImage) throws -> [Detection] {
        var input = image
        var factor: Float = 1
        if image.width > maximumWidth {
            let height = max(1, image.height * maximumWidth / image.width)
            input = VisionLibrary.resized(image, width: maximumWidth, height: height)
            factor = Float(image.width) / Float(maximumWidth)
        }
        var boxes = [Float](repeating: 0, count: 5 * 256)
        var error = [CChar](repeating: 0, count: 512)
        let count = glidn_hog_detect(
            handle, input.bytes, Int32(input.width), Int32(input.height), scale, Int32(stride), threshold,
            &boxes, 256, &error, Int32(error.count))
        guard count >= 0 else { throw DetectorError(String(cString: error)) }
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
        try HOGPeopleDetector(scale: settings[VideoSettings.hogScale], maximumWidth: settings[VideoSettings.hogWidth])
    }
}

/// OpenCV's version, resizing and drawing.
public enum VisionLibrary {
    public static var version: String {
        var text = [CChar](repeating: 0, count: 128)
        glidn_vision_versions(&text, Int32(text.count))
        return String(cString: text).components(separatedBy: " (").first ?? "OpenCV"
    }

    /// "OpenCV 4.6.0 (2 threads)".
    public static var versionAndThreads: String {
        var text = [CChar](repeating: 0, count: 128)
        glidn_vision_versions(&text, Int32(text.count))
        return String(cString: text)
    }

    public static func resized(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        var out = [UInt8](repeating: 0, count: width * height * 3)
        glidn_resize(image.bytes, Int32(image.width), Int32(image.height), &out, Int32(width), Int32(height))
        return RGBImage(width: width, height: height, bytes: out)
    }
}
