/// Reads settings from command-line words: `--name value`, `--name=value`, a switch alone
/// (`--skip-missing`), a repeatable option once per entry. Every value is checked against its
/// declaration as it is read; an error names the option and what is wrong.
public enum SettingParser {
    /// - Parameters:
    ///   - otherOptions: the command's own options, for suggestions when a word is unknown.
    public static func parse(_ words: [String], settings: [any AnySetting], otherOptions: [String] = [])
        throws(SettingError) -> SettingValues
    {
        try read(words, settings: settings, otherOptions: otherOptions, positionals: false).values
    }

    /// As `parse`, and the words that are not options (file names), in order.
    public static func parseWithFiles(_ words: [String], settings: [any AnySetting], otherOptions: [String] = [])
        throws(SettingError) -> (values: SettingValues, files: [String])
    {
        try read(words, settings: settings, otherOptions: otherOptions, positionals: true)
    }

    static func read(_ words: [String], settings: [any AnySetting], otherOptions: [String], positionals: Bool)
        throws(SettingError) -> (values: SettingValues, files: [String])
    {
        var files: [String] = []
        var byName: [String: any AnySetting] = [:]
        for s in settings {
            for name in s.optionNames { byName[name] = s }
        }
        var values = SettingValues()
        var i = 0
        while i < words.count {
            let word = words[i]
            guard word.hasPrefix("--"), word.count > 2 else {
                if positionals, !word.hasPrefix("-") {
                    files.append(word)
                    i += 1
                    continue
                }
                throw SettingError(
                    "unexpected argument '\(word)'" + (word.hasPrefix("-") ? "" : " (options are written --name value)")
                )
            }
            let body = String(word.dropFirst(2))
            var name = body
            var inline: String?
            if let equals = body.firstIndex(of: "=") {
                name = String(body[..<equals])
                inline = String(body[body.index(after: equals)...])
            }
            guard let setting = byName[name] else {
                throw SettingError(
                    "unknown option '--\(name)'" + suggestion(for: name, among: Array(byName.keys) + otherOptions))
            }
            let text: String
            if let inline {
                text = inline
            } else if setting.isFlag {
                text = "true"
            } else {
                guard i + 1 < words.count else {
                    throw SettingError("missing value for \(setting.option) <\(setting.valueName)>")
                }
                i += 1
                text = words[i]
            }
            let value = try setting.parse(text)
            values.set(setting.isRepeatable ? setting.merged(values.anyValue(setting), value) : value, for: setting)
            i += 1
        }
        return (values, files)
    }

    /// " (did you mean --output?)" for the closest known name within two edits, else "".
    static func suggestion(for name: String, among known: [String]) -> String {
        var best: (name: String, distance: Int)?
        for candidate in known.sorted() {
            let d = distance(name, candidate)
            if d <= 2, d < (best?.distance ?? .max) { best = (candidate, d) }
        }
        return best.map { " (did you mean --\($0.name)?)" } ?? ""
    }

    /// Levenshtein distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let (x, y) = (Array(a), Array(b))
        var row = Array(0...y.count)
        for i in 1...max(x.count, 1) where !x.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in 1...max(y.count, 1) where !y.isEmpty {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (x[i - 1] == y[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return x.isEmpty ? y.count : row[y.count]
    }
}

/// The lines `--help` shows for settings, in ArgumentParser's layout, wrapped to fit 79 columns
/// (ArgumentParser would wrap longer lines without indenting them).
public enum SettingsHelp {
    public static let width = 79

    /// One entry per setting: the option, its argument, its help, range and default; `notes`
    /// adds text after the default (a recipe's value). `indent` spaces before each entry.
    public static func lines(
        _ settings: [any AnySetting], indent: Int = 2, notes: (any AnySetting) -> String? = { _ in nil }
    ) -> [String] {
        settings.flatMap { s -> [String] in
            let option = s.optionNames.map { "--" + $0 }.joined(separator: ", ") + (s.isFlag ? "" : " <\(s.valueName)>")
            var text = s.help + " ("
            if let range = s.rangeText { text += "range \(range); " }
            text += "default: \(s.defaultText)"
            if let note = notes(s) { text += "; \(note)" }
            text += ")"
            let column = indent + 28
            let head = String(repeating: " ", count: indent) + option
            return wrap(
                text,
                first: head.count + 2 <= column
                    ? head.padding(toLength: column, withPad: " ", startingAt: 0) : head + "  ",
                indent: column)
        }
    }

    /// `text` after `first`, wrapped at `width` with continuation lines indented by `indent`.
    public static func wrap(_ text: String, first: String, indent: Int) -> [String] {
        var lines: [String] = []
        var line = first
        var fresh = true
        for word in text.split(separator: " ") {
            if !fresh, line.count + 1 + word.count > width {
                lines.append(line)
                line = String(repeating: " ", count: indent)
                fresh = true
            }
            line += (fresh ? "" : " ") + word
            fresh = false
        }
        lines.append(line)
        return lines
    }
}
