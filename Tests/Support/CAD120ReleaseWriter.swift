import Foundation

/// Writes a tiny CAD-120 release in Cornell's format (one video of Subject 3 with two
/// labelled segments and two tracked objects), for the reader and command-line tests.
public enum CAD120ReleaseWriter {
    public static let video = "1204142858"

    /// - Parameters: `labeling` replaces labeling.txt; `firstFrame` replaces the skeleton's first frame number.
    public static func write(
        to root: URL, corruptSkeletonLine: Int? = nil, labeling: String? = nil, firstFrame: String? = nil
    ) throws {
        let folder = root.appendingPathComponent("Subject3_annotations/microwaving_food")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "\(video),microwaving_food,Subject3,1:microwave,2:cup,\n"
            .write(to: folder.appendingPathComponent("activityLabel.txt"), atomically: true, encoding: .utf8)
        try (labeling ?? "\(video),1,5,reaching,reachable,stationary\n\(video),6,12,opening,openable,stationary\n")
            .write(to: folder.appendingPathComponent("labeling.txt"), atomically: true, encoding: .utf8)
        var skeleton = ""
        for frame in 1...12 {
            var values = [frame == 1 ? firstFrame ?? "1" : String(frame)]
            for j in 0..<15 {
                if j < 11 { values += Array(repeating: "0.5", count: 9) + ["1"] }
                values += [String(100 * j), String(-50 * j + 300), "2000", "1"]
            }
            skeleton += values.joined(separator: ",") + (frame == corruptSkeletonLine ? ",7" : "") + "\n"
        }
        try (skeleton + "END\n").write(
            to: folder.appendingPathComponent("\(video).txt"), atomically: true, encoding: .utf8)
        for k in 1...2 {
            var track = ""
            for frame in 1...12 where !(k == 2 && frame == 4) {
                let box = k == 1 ? [100 + frame, 50, 200 + frame, 150] : [300, 200, 360, 260]
                track += "\(frame),\(k)," + box.map(String.init).joined(separator: ",") + ",1,0,0,0,1,0,0,0,1,0,0,0\n"
            }
            try track.write(
                to: folder.appendingPathComponent("\(video)_obj\(k).txt"), atomically: true, encoding: .utf8)
        }
    }
}
