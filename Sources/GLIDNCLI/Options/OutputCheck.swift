import ArgumentParser
import Foundation
import NN

/// Outputs are checked before any work: an output never replaces one of the command's own
/// inputs, never replaces anything but a regular file, and can be written.
package enum OutputCheck {
    /// The path as the file system sees it (symbolic links resolved), to compare paths.
    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
    }

    /// `output` (a file) must not be any of `inputs`, and must be writable.
    package static func file(_ output: String, option: String, inputs: [String?]) throws {
        let target = canonical(output)
        if let same = inputs.compactMap({ $0 }).first(where: { canonical($0) == target }) {
            throw ValidationError(
                "\(option) \(output) is also an input of this command (\(same)): refusing to overwrite it")
        }
        do { try AtomicFile.checkWritable(URL(fileURLWithPath: output)) } catch {
            throw ValidationError(error.description)
        }
        try probe(URL(fileURLWithPath: output).deletingLastPathComponent(), option: option)
    }

    /// `folder` must not be any of `inputs` nor hold one of the files the run writes, and must be writable.
    package static func folder(_ folder: URL, option: String, writes files: [String], inputs: [String?]) throws {
        let written = Set(([folder.path] + files.map { folder.appendingPathComponent($0).path }).map(canonical))
        if let same = inputs.compactMap({ $0 }).first(where: { written.contains(canonical($0)) }) {
            throw ValidationError("\(option) \(folder.path) would overwrite an input of this command (\(same))")
        }
        if let kind = AtomicFile.kind(of: folder.path), kind != "a folder" {
            throw ValidationError("\(option) \(folder.path) is \(kind), not a folder")
        }
        do {
            try AtomicFile.checkWritable(folder.appendingPathComponent(files.first ?? "probe"))
        } catch {
            throw ValidationError(error.description)
        }
        try probe(folder, option: option)
    }

    /// Creates `folder` if need be and a file in it (removed again): permissions aside (a root
    /// process passes every permission check), some places cannot hold files at all.
    /// Folders it had to create are removed again, so that a command failing later leaves nothing behind.
    static func probe(_ folder: URL, option: String) throws {
        let file = folder.appendingPathComponent(".glidn-write-probe-\(getpid())")
        var missing: [URL] = []
        var parent = folder.standardizedFileURL
        while parent.path != "/", !FileManager.default.fileExists(atPath: parent.path) {
            missing.append(parent)
            parent = parent.deletingLastPathComponent()
        }
        defer { for created in missing { rmdir(created.path) } }  // rmdir: only ever an empty folder
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data().write(to: file)
            try FileManager.default.removeItem(at: file)
        } catch {
            throw ValidationError("\(option): cannot write into \(folder.path): \(FileErrors.plain(error))")
        }
    }
}
