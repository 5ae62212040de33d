/// Labels and categories of CAD-120 in the index order LIGHTEN and STIGPN use
/// (GPNN's metadata; see docs/DATA.md).
public enum CAD120Vocabulary {
    public static let subactivities = [
        "reaching", "moving", "pouring", "eating", "drinking", "opening", "placing", "closing", "null", "cleaning",
    ]

    /// Best-effort names: the indices are the truth. Index 8 ('stationary') dominates
    /// the counts; most others match the sub-activity of the same index.
    public static let affordances = [
        "reachable", "movable", "pourable", "containable", "drinkable", "openable",
        "placeable", "closeable", "stationary", "cleanable", "pourto", "cleaner",
    ]

    /// Object categories 0..9 of the data; the model's categories put "person" first.
    public static let objects = [
        "medcinebox", "cup", "bowl", "box", "milk", "book", "microwave", "plate", "remote", "cloth",
    ]
    public static var categoryNames: [String] { ["person"] + objects }

    /// The affordances of the ground-truth pickle (`cad120-gt`), in its own index order.
    public static let groundTruthAffordances = [
        "reachable", "movable", "pourable", "pourto", "containable", "drinkable", "openable",
        "placeable", "closeable", "scrubbable", "scrubber", "stationary", "cleanable",
    ]

    /// The ground-truth pickle's sub-activity index as ours: its 0…7 are ours, 9 (null) is
    /// our 8 and 10 (cleaning) our 9; its 8 (scrubbing) never occurs and has no index here.
    public static func groundTruthSubactivity(_ stored: Int) -> Int? {
        switch stored {
        case 0...7: return stored
        case 9: return 8
        case 10: return 9
        default: return nil
        }
    }

    /// Frames sampled from every segment, as LIGHTEN does.
    public static let framesPerSegment = 20
    static let imageWidth: Float = 640
    static let imageHeight: Float = 480

    public static func info(featureSize: Int, name: String) -> DatasetInfo {
        DatasetInfo(
            name: name, task: .entity, featureSize: featureSize, categoryNames: categoryNames,
            subactivityNames: subactivities, affordanceNames: affordances)
    }

    /// Raw annotations spell some names differently from the tables above.
    static func objectIndex(_ name: String) -> Int? {
        let n = name.lowercased()
        return objects.firstIndex(of: n == "medicinebox" ? "medcinebox" : n)
    }
}
