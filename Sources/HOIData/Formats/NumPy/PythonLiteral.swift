/// The small subset of Python literals found in .npy headers: dicts, tuples, lists,
/// strings, integers, booleans and None.
indirect enum PythonLiteral: Equatable {
    case dict([(PythonLiteral, PythonLiteral)])
    case tuple([PythonLiteral])
    case list([PythonLiteral])
    case string(String)
    case integer(Int)
    case bool(Bool)
    case none

    struct ParseError: Error { let message: String }

    static func == (a: PythonLiteral, b: PythonLiteral) -> Bool {
        switch (a, b) {
        case (.dict(let x), .dict(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.tuple(let x), .tuple(let y)), (.list(let x), .list(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.integer(let x), .integer(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.none, .none): return true
        default: return false
        }
    }

    static func parse(_ text: String) throws(ParseError) -> PythonLiteral {
        var p = Parser(chars: Array(text.unicodeScalars))
        let value = try p.value(depth: 0)
        p.skipSpace()
        guard p.at == p.chars.count else { throw ParseError(message: "unexpected text after the literal") }
        return value
    }

    struct Parser {
        let chars: [Unicode.Scalar]
        var at = 0

        mutating func skipSpace() {
            while at < chars.count, chars[at].properties.isWhitespace { at += 1 }
        }

        mutating func value(depth: Int) throws(ParseError) -> PythonLiteral {
            guard depth < 32 else { throw ParseError(message: "nesting too deep") }
            skipSpace()
            guard at < chars.count else { throw ParseError(message: "unexpected end") }
            let c = chars[at]
            switch c {
            case "{":
                at += 1
                var entries: [(PythonLiteral, PythonLiteral)] = []
                while true {
                    skipSpace()
                    if at < chars.count, chars[at] == "}" {
                        at += 1
                        return .dict(entries)
                    }
                    let key = try value(depth: depth + 1)
                    skipSpace()
                    guard at < chars.count, chars[at] == ":" else {
                        throw ParseError(message: "expected ':' in a dict")
                    }
                    at += 1
                    entries.append((key, try value(depth: depth + 1)))
                    skipSpace()
                    if at < chars.count, chars[at] == "," { at += 1 }
                }
            case "(", "[":
                at += 1
                let close: Unicode.Scalar = c == "(" ? ")" : "]"
                var items: [PythonLiteral] = []
                while true {
                    skipSpace()
                    if at < chars.count, chars[at] == close {
                        at += 1
                        return c == "(" ? .tuple(items) : .list(items)
                    }
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    if at < chars.count, chars[at] == "," { at += 1 }
                }
            case "'", "\"":
                at += 1
                var s = ""
                while at < chars.count, chars[at] != c {
                    if chars[at] == "\\", at + 1 < chars.count { at += 1 }
                    s.unicodeScalars.append(chars[at])
                    at += 1
                }
                guard at < chars.count else { throw ParseError(message: "unterminated string") }
                at += 1
                return .string(s)
            default:
                var word = ""
                while at < chars.count,
                    chars[at].properties.isAlphabetic || ("0"..."9").contains(chars[at]) || chars[at] == "-"
                        || chars[at] == "_"
                {
                    word.unicodeScalars.append(chars[at])
                    at += 1
                }
                switch word {
                case "True": return .bool(true)
                case "False": return .bool(false)
                case "None": return .none
                default:
                    guard let v = Int(word.hasSuffix("L") ? String(word.dropLast()) : word) else {
                        throw ParseError(message: "unexpected '\(word.isEmpty ? String(c) : word)'")
                    }
                    return .integer(v)
                }
            }
        }
    }
}
