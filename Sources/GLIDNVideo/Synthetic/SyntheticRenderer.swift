import Autograd
import Foundation
import HOIData
import NN

/// The synthetic benchmark's clips as videos: every entity drawn with its category's look at
/// its true box in every frame where the generator shows it (its box noise and occlusion
/// included), over a cluttered background, with pixel noise. Beside each `<id>.mp4`, its true
/// boxes as a MOT file (`<id>.csv`: frame, track, box, class), so that `glidn extract --boxes`
/// reads the truth and a detector can be trained and measured on the renders.
public struct SyntheticRenderer {
    public let width: Int
    public let height: Int
    public let framesPerSecond: Double

    public init(width: Int = 320, height: Int = 240, framesPerSecond: Double = 12) {
        (self.width, self.height, self.framesPerSecond) = (width, height, framesPerSecond)
    }

    /// Each category's body colour and the colour of its mark (SyntheticVocabulary.categories:
    /// person, box, cup, book, phone, ball, bag).
    static let looks: [(body: UInt32, mark: UInt32)] = [
        (0x3060C0, 0xF0C8A0), (0x8B5A2B, 0x3A2410), (0xE8E8E8, 0xD03030), (0x2E8B57, 0xFFFFFF),
        (0x202020, 0x40A0FF), (0xFF8C00, 0x000000), (0x800080, 0xFFD700),
    ]

    /// The frames of `clip`, and its true boxes in pixels per frame (nil where invisible).
    public func frames(_ clip: Clip, seed: UInt64) -> (frames: [RGBImage], boxes: [[PixelBox?]]) {
        var g = SeededGenerator(seed: seed)
        // A background of one light colour with a few darker blocks (furniture).
        let shade = UInt32(g.nextInt(below: 40)) + 190
        var background = RGBImage(width: width, height: height, colour: shade << 16 | (shade - 10) << 8 | (shade - 25))
        for _ in 0..<4 {
            let (x, y) = (g.uniform(0, Float(width)), g.uniform(0, Float(height)))
            let (w, h) = (g.uniform(20, 90), g.uniform(15, 60))
            let tone = UInt32(g.nextInt(below: 60)) + 120
            background.fill(PixelBox(x1: x, y1: y, x2: x + w, y2: y + h), colour: tone << 16 | tone << 8 | (tone - 20))
        }
        // Each entity's own tint of its category's look (its identity).
        let tints = (0..<clip.entities).map { _ in Int32(g.nextInt(below: 31)) - 15 }
        let (n, t) = (clip.entities, clip.frames)
        var frames: [RGBImage] = []
        var boxes: [[PixelBox?]] = []
        for f in 0..<t {
            var image = background
            var frameBoxes = [PixelBox?](repeating: nil, count: n)
            // Larger entities first, so that a smaller one in front stays visible.
            let order = (0..<n).sorted { area(clip, f, $0) > area(clip, f, $1) }
            for e in order where clip.mask[f * n + e] != 0 {
                let b = clip.boxes[((f * n + e) * 4)..<((f * n + e) * 4 + 4)].map { $0 }
                let box = PixelBox(
                    x1: b[0] * Float(width), y1: b[1] * Float(height), x2: b[2] * Float(width), y2: b[3] * Float(height)
                )
                .clipped(width: width, height: height)
                guard box.area >= 4 else { continue }
                draw(&image, box, category: clip.categories[e], tint: tints[e])
                frameBoxes[e] = box
            }
            addNoise(&image, &g)
            frames.append(image)
            boxes.append(frameBoxes)
        }
        return (frames, boxes)
    }

    func area(_ clip: Clip, _ f: Int, _ e: Int) -> Float {
        let i = (f * clip.entities + e) * 4
        return (clip.boxes[i + 2] - clip.boxes[i]) * (clip.boxes[i + 3] - clip.boxes[i + 1])
    }

    func draw(_ image: inout RGBImage, _ box: PixelBox, category: Int, tint: Int32) {
        let look = Self.looks[category % Self.looks.count]
        func tinted(_ c: UInt32) -> UInt32 {
            let channel = { (shift: UInt32) -> UInt32 in
                UInt32(max(0, min(255, Int32((c >> shift) & 255) + tint))) << shift
            }
            return channel(16) | channel(8) | channel(0)
        }
        let (w, h) = (box.width, box.height)
        if category == SyntheticVocabulary.person {
            // A body and, at its top, a head of the mark's colour.
            image.fill(PixelBox(x1: box.x1, y1: box.y1 + h * 0.22, x2: box.x2, y2: box.y2), colour: tinted(look.body))
            image.fill(
                PixelBox(x1: box.x1 + w * 0.25, y1: box.y1, x2: box.x2 - w * 0.25, y2: box.y1 + h * 0.22),
                colour: look.mark)
            return
        }
        image.fill(box, colour: tinted(look.body))
        // Each object category's mark: a stripe, a band, a dot.
        switch category % 3 {
        case 0:
            image.fill(PixelBox(x1: box.x1, y1: box.y1 + h * 0.4, x2: box.x2, y2: box.y1 + h * 0.6), colour: look.mark)
        case 1:
            image.fill(PixelBox(x1: box.x1 + w * 0.4, y1: box.y1, x2: box.x1 + w * 0.6, y2: box.y2), colour: look.mark)
        default:
            image.fill(
                PixelBox(x1: box.x1 + w * 0.3, y1: box.y1 + h * 0.3, x2: box.x2 - w * 0.3, y2: box.y2 - h * 0.3),
                colour: look.mark)
        }
        image.rectangle(box, colour: 0x101010, thickness: 1)
    }

    /// Sensor noise: each pixel's channels moved by up to ±6.
    func addNoise(_ image: inout RGBImage, _ g: inout SeededGenerator) {
        var state = g.next()
        image.bytes.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let shift = Int((state >> 59) % 13) - 6
                p[i] = UInt8(clamping: Int(p[i]) + shift)
            }
        }
    }

    /// Writes `<id>.mp4` and `<id>.csv` (its true boxes, MOT layout: frame, track, x, y, w, h, 1,
    /// category) for `clip` into `folder`.
    public func write(_ clip: Clip, seed: UInt64, into folder: URL) throws {
        let (frames, boxes) = self.frames(clip, seed: seed)
        let writer = try VideoWriter(
            folder.appendingPathComponent(clip.id + ".mp4"), width: width, height: height,
            framesPerSecond: framesPerSecond)
        for frame in frames { try writer.write(frame) }
        try writer.finish()
        var lines: [String] = []
        for (f, frameBoxes) in boxes.enumerated() {
            for (e, box) in frameBoxes.enumerated() {
                guard let box else { continue }
                lines.append(
                    String(
                        format: "%d,%d,%.1f,%.1f,%.1f,%.1f,1,%d", f + 1, e, box.x1, box.y1, box.width, box.height,
                        clip.categories[e]))
            }
        }
        try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: folder.appendingPathComponent(clip.id + ".csv"))
    }
}
