/// One thing a detector found in a frame: its box in pixels, its class (an index into the
/// detector's class names) and its score in [0, 1].
public struct Detection: Sendable, Equatable {
    public var box: PixelBox
    public var classIndex: Int
    public var score: Float

    public init(box: PixelBox, classIndex: Int, score: Float) {
        (self.box, self.classIndex, self.score) = (box, classIndex, score)
    }
}
