/// Labels and categories of CAD-120 in the index order LIGHTEN and STIGPN use
/// (GPNN's metadata; see docs/DATA.md).
public enum CAD120Vocabulary {
    public static let subactivities = ["reaching", "moving", "pouring", "eating", "drinking", "opening", "placing", "closing", "null", "cleaning"]

    /// Best-effort names: the indices are the truth. Index 8 ('stationary') dominates
    /// the counts; most others match the sub-activity of the same index.
    public static let affordances = ["reachable", "movable", "pourable", "containable", "drinkable", "openable",
                                     "placeable", "closeable", "stationary", "cleanable", "pourto", "cleaner"]

    /// Object categories 0..9 of the data; the model's categories put "person" first.
    public static let objects = ["medcinebox", "cup", "bowl", "box", "milk", "book", "microwave", "plate", "remote", "cloth"]
    public static var categoryNames: [String] { ["person"] + objects }

    /// Frames sampled from every segment, as LIGHTEN does.
    public static let framesPerSegment = 20
    static let imageWidth: Float = 640
    static let imageHeight: Float = 480

    public static func info(featureSize: Int, name: String) -> DatasetInfo {
        DatasetInfo(name: name, task: .entity, featureSize: featureSize, categoryNames: categoryNames,
                    subactivityNames: subactivities, affordanceNames: affordances)
    }

    /// Raw annotations spell some names differently from the tables above.
    static func objectIndex(_ name: String) -> Int? {
        let n = name.lowercased()
        return objects.firstIndex(of: n == "medicinebox" ? "medcinebox" : n)
    }
}
