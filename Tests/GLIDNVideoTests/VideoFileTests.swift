import Foundation
import GLIDNVideo
import Testing

enum VideoFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    static func scratch(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("glidn-video-\(getpid())-\(name)")
        try? FileManager.default.removeItem(at: url)
        return url
    }

    /// `count` frames of 64 × 48, frame k a flat colour of red k·20.
    static func write(_ url: URL, count: Int, fps: Double = 10) throws {
        let writer = try VideoWriter(url, width: 64, height: 48, framesPerSecond: fps)
        for k in 0..<count { try writer.write(RGBImage(width: 64, height: 48, colour: UInt32(k * 20) << 16 | 0x4080)) }
        try writer.finish()
    }
}

@Suite("Video files")
struct VideoFileTests {
    @Test("an MP4 written by FFmpeg reads back: every frame, its size and colour, sampled at a lower rate")
    func roundTrip() throws {
        let url = VideoFixtures.scratch("round.mp4")
        defer { try? FileManager.default.removeItem(at: url) }
        try VideoFixtures.write(url, count: 12)
        let all = try VideoReader(url)
        #expect(all.info.width == 64 && all.info.height == 48 && abs(all.info.framesPerSecond - 10) < 0.01)
        var frames: [(RGBImage, Double)] = []
        while let f = try all.next() { frames.append(f) }
        #expect(frames.count == 12)
        // Lossy, but the red channel follows the frame index.
        for (k, (image, seconds)) in frames.enumerated() {
            #expect(abs(Int(image.bytes[3 * (24 * 64 + 32)]) - k * 20) <= 12, "frame \(k)")
            #expect(abs(seconds - Double(k) / 10) < 1e-6)
        }
        let sampled = try VideoReader(url, samplesPerSecond: 5)
        var times: [Double] = []
        while let (_, seconds) = try sampled.next() { times.append(seconds) }
        #expect(times.map { ($0 * 10).rounded() } == [0, 2, 4, 6, 8, 10])
        #expect(sampled.decodedFrames == 12)
        let files = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
        #expect(!files.contains { $0.contains(".round.mp4.partial") }, "no temporary file left")
    }

    @Test(
        "WebM (VP8), Matroska (H.264) and AVI (Motion JPEG) decode", arguments: ["tiny.webm", "tiny.mkv", "tiny.avi"])
    func containers(name: String) throws {
        let reader = try VideoReader(VideoFixtures.url(name))
        var count = 0
        while try reader.next() != nil { count += 1 }
        #expect(count == 10 && reader.info.width == 64 && reader.info.height == 48, "\(name): \(count) frames")
    }

    @Test("bad videos are errors naming the file and the problem")
    func badVideos() throws {
        let folder = VideoFixtures.scratch("bad")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func problem(_ url: URL) -> String {
            do {
                let reader = try VideoReader(url)
                while try reader.next() != nil {}
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        let empty = folder.appendingPathComponent("empty.mp4")
        _ = FileManager.default.createFile(atPath: empty.path, contents: Data())
        #expect(problem(empty) == "\(empty.path): the file is empty")
        let text = folder.appendingPathComponent("text.mp4")
        try "this is not a video\n".write(to: text, atomically: true, encoding: .utf8)
        #expect(problem(text).hasPrefix("\(text.path): not a video FFmpeg can read"))
        // An MP4 cut in half loses its index (FFmpeg writes it at the end).
        let whole = folder.appendingPathComponent("whole.mp4")
        try VideoFixtures.write(whole, count: 20)
        let bytes = try Data(contentsOf: whole)
        let cut = folder.appendingPathComponent("cut.mp4")
        try bytes.prefix(bytes.count / 2).write(to: cut)
        #expect(problem(cut).hasPrefix(cut.path + ": "), "\(problem(cut))")
        #expect(
            problem(VideoFixtures.url("size-change.ts")).contains("is 96 × 64 pixels, but the stream began at 64 × 48"))
        #expect(problem(folder).contains("is a folder"))
        #expect(problem(folder.appendingPathComponent("missing.mp4")).contains("no such file"))
        let fifo = folder.appendingPathComponent("fifo.mp4")
        #expect(mkfifo(fifo.path, 0o644) == 0)
        #expect(problem(fifo).contains("is a FIFO"))
        // Raw-video headers declaring absurd sizes are refused before any frame is allocated:
        // 100,000 × 100,000 by FFmpeg (its own words reach the message), 9,000 × 9,000 by the limits.
        let huge = folder.appendingPathComponent("huge.y4m")
        try "YUV4MPEG2 W100000 H100000 F25:1 Ip A1:1 C420jpeg\nFRAME\n".write(
            to: huge, atomically: true, encoding: .utf8)
        #expect(problem(huge) == "\(huge.path): not a video FFmpeg can read: Picture size 100000x100000 is invalid")
        let large = folder.appendingPathComponent("large.y4m")
        try "YUV4MPEG2 W9000 H9000 F25:1 Ip A1:1 C420jpeg\nFRAME\n".write(to: large, atomically: true, encoding: .utf8)
        #expect(problem(large).contains("declares 9000 × 9000 pixels (at most 8192 × 8192 are read)"))
    }

    @Test("a header that declares 2^31 frames reads as the frames there are")
    func absurdFrameCount() throws {
        let reader = try VideoReader(VideoFixtures.url("absurd-frame-count.avi"))
        var count = 0
        while try reader.next() != nil { count += 1 }
        #expect(reader.info.declaredFrames == 2_147_483_647 && count == 10)
    }
}
