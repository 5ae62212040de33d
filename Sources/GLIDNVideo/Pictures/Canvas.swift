import CVision

/// Drawing on an `RGBImage` through OpenCV (anti-aliased lines and rectangles, Hershey text).
extension RGBImage {
    public mutating func fill(_ box: PixelBox, colour: UInt32) {
        let (w, h) = (Int32(width), Int32(height))
        glidn_draw_fill(&bytes, w, h, Int32(box.x1), Int32(box.y1), Int32(box.x2), Int32(box.y2), colour)
    }

    public mutating func rectangle(_ box: PixelBox, colour: UInt32, thickness: Int = 2) {
        let (w, h) = (Int32(width), Int32(height))
        glidn_draw_rectangle(
            &bytes, w, h, Int32(box.x1), Int32(box.y1), Int32(box.x2), Int32(box.y2), colour, Int32(thickness))
    }

    public mutating func line(
        from a: (x: Float, y: Float), to b: (x: Float, y: Float), colour: UInt32, thickness: Int = 2
    ) {
        let (w, h) = (Int32(width), Int32(height))
        glidn_draw_line(&bytes, w, h, Int32(a.x), Int32(a.y), Int32(b.x), Int32(b.y), colour, Int32(thickness))
    }

    /// Text on a filled box whose top-left corner is (x, y).
    public mutating func label(
        _ text: String, x: Int, y: Int, scale: Double = 0.4, colour: UInt32 = 0xFFFFFF, background: UInt32 = 0x000000
    ) {
        let (w, h) = (Int32(width), Int32(height))
        glidn_draw_label(&bytes, w, h, text, Int32(x), Int32(y), scale, colour, background)
    }

    /// The picture as JPEG bytes.
    public func jpeg(quality: Int = 85) throws -> [UInt8] {
        var pointer: UnsafeMutablePointer<UInt8>?
        var error = [CChar](repeating: 0, count: 256)
        let count = glidn_encode_jpeg(
            bytes, Int32(width), Int32(height), Int32(quality), &pointer, &error, Int32(error.count))
        guard count >= 0, let pointer else { throw DetectorError(cMessage(error)) }
        defer { glidn_free(pointer) }
        return Array(UnsafeBufferPointer(start: pointer, count: Int(count)))
    }
}
