import Foundation

/// An extracted video's tracks drawn on its frames: each track's box in its colour with its id
/// and class. `glidn extract --pictures` writes the tracked video with them; prediction
/// pictures draw their attention and labels on top (`PredictionPictures`).
public struct TrackPictures {
    public let video: ExtractedVideo

    public init(_ video: ExtractedVideo) { self.video = video }

    /// Track colours, by id.
    static let palette: [UInt32] = [
        0xE6194B, 0x3CB44B, 0x4363D8, 0xF58231, 0x911EB4, 0x42D4F4, 0xF032E6, 0xBFEF45, 0x469990, 0x9A6324,
    ]

    /// The boxes of the tracks seen in sampled frame `frame`, by track id.
    public func boxes(frame: Int) -> [Int: PixelBox] {
        Dictionary(uniqueKeysWithValues: video.tracks.compactMap { t in t.observations[frame].map { (t.id, $0.box) } })
    }

    /// Draws the tracks seen in sampled frame `frame`.
    public func draw(_ image: inout RGBImage, frame: Int) {
        for track in video.tracks {
            guard let box = track.observations[frame]?.box else { continue }
            let colour = Self.palette[track.id % Self.palette.count]
            image.rectangle(box, colour: colour, thickness: 2)
            let name =
                track.classIndex < video.classNames.count
                ? video.classNames[track.classIndex] : "class \(track.classIndex)"
            image.label(
                "\(track.id) \(name)", x: Int(box.x1), y: max(Int(box.y1) - 14, 0), scale: 0.35, colour: 0xFFFFFF,
                background: colour)
        }
    }

    /// Decodes `source` again at the extraction's rate (`fps`) and writes its sampled frames to
    /// `url` (MP4, atomically), each drawn on by `annotate` (default: the tracks).
    public func writeVideo(
        from source: URL, fps: Double, to url: URL, annotate: ((inout RGBImage, Int) -> Void)? = nil
    ) throws {
        let reader = try VideoReader(source, samplesPerSecond: fps)
        let writer = try VideoWriter(
            url, width: reader.info.width, height: reader.info.height, framesPerSecond: video.frameRate)
        var frame = 0
        while let (image, _) = try reader.next() {
            var picture = image
            if let annotate { annotate(&picture, frame) } else { draw(&picture, frame: frame) }
            try writer.write(picture)
            frame += 1
        }
        try writer.finish()
    }
}
