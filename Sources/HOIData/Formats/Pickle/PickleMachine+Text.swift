import Foundation

/// The text operands of protocols 0 and 1 (and Python 2's strings), read without `eval`.
extension PickleMachine {
    /// The bytes up to the next newline, which is consumed.
    mutating func lineBytes() throws(PickleError) -> ArraySlice<UInt8> {
        guard let end = bytes[at...].firstIndex(of: 0x0A) else {
            throw fail("a text operand is not terminated (truncated)")
        }
        defer { at = end + 1 }
        return bytes[at..<end]
    }

    /// INT ("00" and "01" are False and True) or LONG (maybe ending in L), within 64 bits.
    func textInteger(_ text: String, allowsBool: Bool) throws(PickleError) -> PickleItem {
        var t = text.trimmingCharacters(in: .whitespaces)
        if allowsBool && t == "00" { return .bool(false) }
        if allowsBool && t == "01" { return .bool(true) }
        if !allowsBool && t.hasSuffix("L") { t.removeLast() }
        guard let v = Int(t) else { throw fail("integer '\(text.prefix(40))' is malformed or beyond 64 bits") }
        return .int(v)
    }

    /// A memo index written as decimal text.
    func textIndex(_ text: String) throws(PickleError) -> Int {
        guard let v = Int(text.trimmingCharacters(in: .whitespaces)), v >= 0 else {
            throw fail("memo index '\(text.prefix(40))' is not a non-negative integer")
        }
        return v
    }

    /// STRING: a Python 2 str literal as `repr` writes it ('…' or "…", with \\, \', \", \n, \r,
    /// \t, \xhh and octal escapes), its bytes read as Latin-1 text.
    func quotedString(_ text: String) throws(PickleError) -> String {
        let b = Array(text.utf8)
        guard b.count >= 2, let quote = b.first, quote == 0x27 || quote == 0x22, b.last == quote else {
            throw fail("STRING operand is not a quoted string literal")
        }
        var out: [UInt8] = []
        var i = 1
        let end = b.count - 1
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x61...0x66: return c - 0x61 + 10
            case 0x41...0x46: return c - 0x41 + 10
            default: return nil
            }
        }
        while i < end {
            let c = b[i]
            guard c == 0x5C, i + 1 < end else {
                out.append(c)
                i += 1
                continue
            }
            let e = b[i + 1]
            i += 2
            switch e {
            case 0x6E: out.append(0x0A)  // \n
            case 0x72: out.append(0x0D)  // \r
            case 0x74: out.append(0x09)  // \t
            case 0x5C, 0x27, 0x22: out.append(e)
            case 0x78:  // \xhh
                guard i + 1 < end, let h = hex(b[i]), let l = hex(b[i + 1]) else {
                    throw fail("STRING operand has a malformed \\x escape")
                }
                out.append(h << 4 | l)
                i += 2
            case 0x30...0x37:  // up to three octal digits
                var v = Int(e - 0x30)
                var digits = 1
                while digits < 3, i < end, (0x30...0x37).contains(b[i]) {
                    v = v * 8 + Int(b[i] - 0x30)
                    i += 1
                    digits += 1
                }
                guard v < 256 else { throw fail("STRING operand has an octal escape beyond a byte") }
                out.append(UInt8(v))
            default: out += [0x5C, e]  // an unknown escape stays as written
            }
        }
        return Self.latin1(out[...])
    }

    /// UNICODE: raw-unicode-escape text, \uXXXX and \UXXXXXXXX escaped, every other byte a
    /// Latin-1 character.
    func rawUnicodeEscaped(_ b: ArraySlice<UInt8>) throws(PickleError) -> String {
        let b = Array(b)
        var scalars = String.UnicodeScalarView()
        var i = 0
        while i < b.count {
            if b[i] == 0x5C, i + 1 < b.count, b[i + 1] == 0x75 || b[i + 1] == 0x55 {
                let width = b[i + 1] == 0x75 ? 4 : 8
                guard i + 2 + width <= b.count,
                    let v = UInt32(String(decoding: b[(i + 2)..<(i + 2 + width)], as: UTF8.self), radix: 16),
                    let scalar = Unicode.Scalar(v)
                else {
                    throw fail("UNICODE operand has a malformed \\u escape")
                }
                scalars.append(scalar)
                i += 2 + width
            } else {
                scalars.append(Unicode.Scalar(b[i]))
                i += 1
            }
        }
        return String(scalars)
    }

    /// Bytes as Latin-1 text: each byte is the code point of the same value.
    static func latin1(_ bytes: ArraySlice<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
        return String(scalars)
    }

    /// The inverse, or nil if a character lies beyond Latin-1.
    static func latin1Bytes(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard scalar.value < 256 else { return nil }
            out.append(UInt8(scalar.value))
        }
        return out
    }
}
