import CVideo
import Foundation
import NN

/// An MP4 written frame by frame through FFmpeg (H.264 where FFmpeg has libx264, else
/// MPEG-4), into a temporary file renamed into place by `finish`: a failed or interrupted
/// write leaves no half video under the name.
public final class VideoWriter {
    public let url: URL
    public let width: Int
    public let height: Int
    /// The encoder FFmpeg chose ("libx264").
    public let encoder: String
    private var writer: OpaquePointer?
    private let temporary: URL

    public init(_ url: URL, width: Int, height: Int, framesPerSecond: Double) throws(VideoError) {
        self.url = url
        (self.width, self.height) = (width, height)
        temporary = url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).partial-\(getpid()).mp4")
        var handle: OpaquePointer?
        var name = [CChar](repeating: 0, count: 64)
        var error = [CChar](repeating: 0, count: 512)
        guard
            glidn_video_writer_open(
                temporary.path, Int32(width), Int32(height), framesPerSecond, &handle, &name, Int32(name.count),
                &error, Int32(error.count)) == 0, let handle
        else {
            try? FileManager.default.removeItem(at: temporary)
            throw VideoError(path: url.path, problem: cMessage(error))
        }
        writer = handle
        encoder = cMessage(name)
    }

    deinit {
        if let writer {
            var error = [CChar](repeating: 0, count: 8)
            _ = glidn_video_writer_close(writer, &error, Int32(error.count))
            try? FileManager.default.removeItem(at: temporary)
        }
    }

    public func write(_ image: RGBImage) throws(VideoError) {
        guard let writer else { throw VideoError(path: url.path, problem: "the video is already finished") }
        precondition(
            image.width == width && image.height == height,
            "VideoWriter: a \(image.width) × \(image.height) frame for \(width) × \(height)")
        var error = [CChar](repeating: 0, count: 512)
        guard glidn_video_writer_write(writer, image.bytes, &error, Int32(error.count)) == 0 else {
            throw VideoError(path: url.path, problem: cMessage(error))
        }
    }

    /// Finishes the file and moves it into place.
    public func finish() throws(VideoError) {
        guard let writer else { return }
        self.writer = nil
        var error = [CChar](repeating: 0, count: 512)
        guard glidn_video_writer_close(writer, &error, Int32(error.count)) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw VideoError(path: url.path, problem: cMessage(error))
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw VideoError(path: url.path, problem: "cannot move the finished video into place: \(reason)")
        }
    }

    /// The FFmpeg libraries' versions.
    public static var libraryVersions: String {
        var text = [CChar](repeating: 0, count: 256)
        glidn_video_versions(&text, Int32(text.count))
        return cMessage(text)
    }
}
