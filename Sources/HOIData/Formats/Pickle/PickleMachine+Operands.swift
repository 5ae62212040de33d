import Foundation

extension PickleMachine {
    // MARK: reading operands

    mutating func take(_ n: Int) throws(PickleError) -> ArraySlice<UInt8> {
        guard n >= 0, n <= bytes.count - at else {
            throw fail("needs \(n) more bytes but only \(bytes.count - at) are left (truncated or corrupt)")
        }
        defer { at += n }
        return bytes[at..<(at + n)]
    }

    mutating func unsigned(_ n: Int) throws(PickleError) -> Int {
        let b = try take(n)
        var v: UInt64 = 0
        for (i, x) in b.enumerated() { v |= UInt64(x) << (8 * UInt64(i)) }
        guard v <= UInt64(Int.max) else { throw fail("a length of \(v) bytes is absurd") }
        return Int(v)
    }

    mutating func line() throws(PickleError) -> String {
        guard let end = bytes[at...].firstIndex(of: 0x0A) else {
            throw fail("a text operand is not terminated (truncated)")
        }
        defer { at = end + 1 }
        return String(decoding: bytes[at..<end], as: UTF8.self)
    }

    mutating func pop() throws(PickleError) -> PickleItem {
        guard let top = stack.popLast() else { throw fail("pops from an empty stack (corrupt)") }
        if case .mark = top { throw fail("pops a MARK as a value (corrupt)") }
        return top
    }

    mutating func popMark() throws(PickleError) -> [PickleItem] {
        guard let m = marks.popLast(), m < stack.count, case .mark = stack[m] else {
            throw fail("has no MARK to pop to (corrupt)")
        }
        let items = Array(stack[(m + 1)...])
        stack.removeSubrange(m...)
        if items.contains(where: { if case .mark = $0 { return true } else { return false } }) {
            throw fail("nested MARK (corrupt)")
        }
        return items
    }

    mutating func push(_ item: PickleItem) throws(PickleError) {
        guard stack.count < SafePickleReader.maximumStack else {
            throw fail("the stack grows beyond \(SafePickleReader.maximumStack) items")
        }
        stack.append(item)
    }

    mutating func string(_ n: Int) throws(PickleError) -> PickleItem {
        let b = try take(n)
        guard let s = String(bytes: b, encoding: .utf8) else { throw fail("holds a string that is not valid UTF-8") }
        return .string(s)
    }
}
