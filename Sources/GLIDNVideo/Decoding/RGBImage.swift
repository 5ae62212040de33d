/// A picture as packed RGB bytes, rows of `width` · 3 bytes, top row first.
public struct RGBImage: Sendable {
    public let width: Int
    public let height: Int
    public var bytes: [UInt8]

    public init(width: Int, height: Int, bytes: [UInt8]) {
        precondition(
            width > 0 && height > 0 && bytes.count == width * height * 3,
            "RGBImage: \(bytes.count) bytes for \(width) × \(height)")
        (self.width, self.height, self.bytes) = (width, height, bytes)
    }

    /// A picture of one colour (0xRRGGBB).
    public init(width: Int, height: Int, colour: UInt32) {
        let (r, g, b) = (UInt8((colour >> 16) & 255), UInt8((colour >> 8) & 255), UInt8(colour & 255))
        var bytes = [UInt8](repeating: 0, count: width * height * 3)
        for p in 0..<(width * height) { (bytes[3 * p], bytes[3 * p + 1], bytes[3 * p + 2]) = (r, g, b) }
        self.init(width: width, height: height, bytes: bytes)
    }
}

/// A box in pixels: (x1, y1) its top-left corner, (x2, y2) its bottom-right.
public struct PixelBox: Sendable, Equatable {
    public var x1, y1, x2, y2: Float

    public init(x1: Float, y1: Float, x2: Float, y2: Float) { (self.x1, self.y1, self.x2, self.y2) = (x1, y1, x2, y2) }

    public var width: Float { max(x2 - x1, 0) }
    public var height: Float { max(y2 - y1, 0) }
    public var area: Float { width * height }
    public var centre: (x: Float, y: Float) { ((x1 + x2) / 2, (y1 + y2) / 2) }

    public func intersectionOverUnion(_ other: PixelBox) -> Float {
        let w = max(0, min(x2, other.x2) - max(x1, other.x1))
        let h = max(0, min(y2, other.y2) - max(y1, other.y1))
        let inter = w * h
        let union = area + other.area - inter
        return union > 0 ? inter / union : 0
    }

    /// Clipped to a picture of `width` × `height`.
    public func clipped(width: Int, height: Int) -> PixelBox {
        let (w, h) = (Float(width), Float(height))
        return PixelBox(x1: min(max(x1, 0), w), y1: min(max(y1, 0), h), x2: min(max(x2, 0), w), y2: min(max(y2, 0), h))
    }
}
