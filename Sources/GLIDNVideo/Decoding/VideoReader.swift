import CVideo
import Foundation

/// What a video file is, as its container declares it.
public struct VideoInfo: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let framesPerSecond: Double
    public let durationSeconds: Double
    public let declaredFrames: Int
    public let codec: String
    public let container: String
}

/// A video that cannot be read, naming the file and the problem.
public struct VideoError: Error, CustomStringConvertible, Equatable, Sendable {
    public let path: String
    public let problem: String
    public init(path: String, problem: String) { (self.path, self.problem) = (path, problem) }
    public var description: String { "\(path): \(problem)" }
}

/// The frames of a video file, decoded by FFmpeg, sampled at a rate: every frame is decoded (a
/// video's frames depend on each other), and those whose time reaches the next sample time are
/// converted to RGB and returned.
public final class VideoReader {
    /// The largest frames and longest videos read: a header declaring more is refused before
    /// anything is allocated, and a stream that runs longer is cut with an error.
    public static let limits = glidn_video_limits(
        maximumWidth: 8192, maximumHeight: 8192, maximumFrames: 2_000_000,
        maximumSeconds: 6 * 3600)

    public let path: String
    public let info: VideoInfo
    private let reader: OpaquePointer
    private var buffer: [UInt8]
    private var nextSample: Double = 0
    public let samplesPerSecond: Double?

    /// Opens `url`; frames are sampled at `samplesPerSecond` (nil: every frame).
    public init(_ url: URL, samplesPerSecond: Double? = nil) throws(VideoError) {
        path = url.path
        if let kind = Self.refusedKind(path) { throw VideoError(path: path, problem: kind) }
        var handle: OpaquePointer?
        var raw = glidn_video_info()
        var error = [CChar](repeating: 0, count: 512)
        guard glidn_video_open(path, Self.limits, &handle, &raw, &error, Int32(error.count)) == 0, let handle else {
            throw VideoError(path: path, problem: cMessage(error))
        }
        reader = handle
        func text<T>(_ tuple: T) -> String {
            withUnsafeBytes(of: tuple) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        info = VideoInfo(
            width: Int(raw.width), height: Int(raw.height), framesPerSecond: raw.framesPerSecond,
            durationSeconds: raw.durationSeconds, declaredFrames: Int(raw.declaredFrames), codec: text(raw.codec),
            container: text(raw.container))
        buffer = [UInt8](repeating: 0, count: info.width * info.height * 3)
        self.samplesPerSecond = samplesPerSecond
    }

    deinit { glidn_video_close(reader) }

    /// The next sampled frame and its time in seconds, or nil at the end of the video.
    public func next() throws(VideoError) -> (image: RGBImage, seconds: Double)? {
        var error = [CChar](repeating: 0, count: 512)
        while true {
            var seconds = 0.0
            let status = glidn_video_next(reader, &seconds, &error, Int32(error.count))
            if status == 0 { return nil }
            guard status > 0 else { throw VideoError(path: path, problem: cMessage(error)) }
            // Only frames that reach the next sample time are converted.
            if let rate = samplesPerSecond {
                guard seconds + 1e-6 >= nextSample else { continue }
                // On a grid of 1 / rate from the first sample; a gap in the stream skips ahead.
                repeat { nextSample += 1 / rate } while nextSample <= seconds
            }
            guard glidn_video_convert(reader, &buffer, &error, Int32(error.count)) == 0 else {
                throw VideoError(path: path, problem: cMessage(error))
            }
            return (RGBImage(width: info.width, height: info.height, bytes: buffer), seconds)
        }
    }

    /// Frames decoded so far (sampled or not).
    public var decodedFrames: Int { Int(glidn_video_decoded(reader)) }

    /// A path that is not a regular file is refused by kind before FFmpeg opens it (a FIFO
    /// would block, a device would stream forever, a folder is no video).
    static func refusedKind(_ path: String) -> String? {
        var s = stat()
        guard stat(path, &s) == 0 else { return "no such file" }
        switch s.st_mode & S_IFMT {
        case S_IFREG: return s.st_size == 0 ? "the file is empty" : nil
        case S_IFDIR: return "is a folder, not a video file"
        case S_IFIFO: return "is a FIFO, not a video file"
        case S_IFCHR, S_IFBLK: return "is a device, not a video file"
        default: return "is not a regular file"
        }
    }
}
