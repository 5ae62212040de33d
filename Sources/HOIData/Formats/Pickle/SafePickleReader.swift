import Foundation

/// Reads Python pickles (protocols 2–5) without running anything.
///
/// Pickles are programs for a stack machine whose GLOBAL and REDUCE opcodes can call
/// any Python function; `pickle.load` on an untrusted file runs arbitrary code. This
/// reader interprets the opcodes itself and builds only plain values: None, bools,
/// ints, floats, strings, bytes, lists, tuples, dicts, sets — and NumPy arrays, from
/// the globals `numpy.core.multiarray._reconstruct` (or `numpy._core…`),
/// `numpy.ndarray` and `numpy.dtype`. A few pure constructors of plain data that the
/// protocols themselves need are recognised too (never called): `_codecs.encode(str,
/// 'latin1')`, how protocol 2 writes bytes; `builtins.set`/`frozenset`, how protocols
/// 2–3 write sets; and `numpy…numeric._frombuffer`, how protocol 5 writes arrays. Any
/// other global is refused by name. Lengths are checked against the bytes left before
/// anything is allocated, and cycles, unknown opcodes and truncation are errors.
public struct SafePickleReader {
    public static let allowedGlobals: Set<String> = [
        "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct", "numpy.ndarray", "numpy.dtype",
        "_codecs.encode", "builtins.set", "builtins.frozenset", "__builtin__.set", "__builtin__.frozenset",
        "numpy.core.numeric._frombuffer", "numpy._core.numeric._frombuffer",
    ]
    static let maximumDepth = 400
    static let maximumStack = 10_000_000

    public static func read(contentsOf url: URL) throws(PickleError) -> PickleValue {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw PickleError(path: url.path, offset: 0, problem: "cannot be read: \(error.localizedDescription)")
        }
        return try parse(data, path: url.path)
    }

    public static func parse(_ data: Data, path: String) throws(PickleError) -> PickleValue {
        var machine = PickleMachine(bytes: [UInt8](data), path: path)
        let item = try machine.run()
        return try machine.resolve(item)
    }
}

/// Mutable containers stay shared while the pickle runs (memo entries are appended to
/// after being stored), so they are boxes until the end.
final class ListBox { var items: [PickleItem] = [] }
final class DictBox { var pairs: [(PickleItem, PickleItem)] = [] }
final class ArrayBox { var array: NumPyArray? }
final class DTypeBox {
    let code: String
    var order: String = "|"
    init(code: String) { self.code = code }
}

indirect enum PickleItem {
    case none, bool(Bool), int(Int), float(Double), string(String), bytes([UInt8])
    case tuple([PickleItem]), list(ListBox), dict(DictBox), set(ListBox)
    case global(String)
    case array(ArrayBox)
    case dtype(DTypeBox)
    case mark
}

struct PickleMachine {
    let bytes: [UInt8]
    let path: String
    var at = 0
    var opcodeStart = 0
    var stack: [PickleItem] = []
    var marks: [Int] = []
    var memo: [Int: PickleItem] = [:]

    init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    func fail(_ problem: String) -> PickleError { PickleError(path: path, offset: opcodeStart, problem: problem) }

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
        guard let end = bytes[at...].firstIndex(of: 0x0A) else { throw fail("a text operand is not terminated (truncated)") }
        defer { at = end + 1 }
        return String(decoding: bytes[at..<end], as: UTF8.self)
    }

    mutating func pop() throws(PickleError) -> PickleItem {
        guard let top = stack.popLast() else { throw fail("pops from an empty stack (corrupt)") }
        if case .mark = top { throw fail("pops a MARK as a value (corrupt)") }
        return top
    }

    mutating func popMark() throws(PickleError) -> [PickleItem] {
        guard let m = marks.popLast(), m < stack.count, case .mark = stack[m] else { throw fail("has no MARK to pop to (corrupt)") }
        let items = Array(stack[(m + 1)...])
        stack.removeSubrange(m...)
        if items.contains(where: { if case .mark = $0 { return true } else { return false } }) { throw fail("nested MARK (corrupt)") }
        return items
    }

    mutating func push(_ item: PickleItem) throws(PickleError) {
        guard stack.count < SafePickleReader.maximumStack else { throw fail("the stack grows beyond \(SafePickleReader.maximumStack) items") }
        stack.append(item)
    }

    mutating func string(_ n: Int) throws(PickleError) -> PickleItem {
        let b = try take(n)
        guard let s = String(bytes: b, encoding: .utf8) else { throw fail("holds a string that is not valid UTF-8") }
        return .string(s)
    }

    // MARK: the machine

    mutating func run() throws(PickleError) -> PickleItem {
        while true {
            opcodeStart = at
            guard at < bytes.count else { throw fail("ends before its STOP opcode (truncated)") }
            let op = bytes[at]
            at += 1
            switch op {
            case 0x80: _ = try take(1)  // PROTO
            case 0x95: _ = try take(8)  // FRAME
            case 0x2E: return try pop()  // STOP
            case 0x4E: try push(.none)
            case 0x88: try push(.bool(true))
            case 0x89: try push(.bool(false))
            case 0x4A:  // BININT
                try push(.int(Int(Int32(bitPattern: UInt32(truncatingIfNeeded: try unsigned(4))))))
            case 0x4B: try push(.int(try unsigned(1)))  // BININT1
            case 0x4D: try push(.int(try unsigned(2)))  // BININT2
            case 0x8A, 0x8B:  // LONG1, LONG4
                let n = op == 0x8A ? try unsigned(1) : try unsigned(4)
                guard n <= 8 else { throw fail("holds an integer of \(n) bytes, beyond 64 bits") }
                let b = try take(n)
                var v: UInt64 = 0
                for (i, x) in b.enumerated() { v |= UInt64(x) << (8 * UInt64(i)) }
                if n > 0 && n < 8 && b.last! & 0x80 != 0 { v |= ~0 << (8 * UInt64(n)) }
                try push(.int(n == 0 ? 0 : Int(Int64(bitPattern: v))))
            case 0x47:  // BINFLOAT (big-endian)
                let b = try take(8)
                var v: UInt64 = 0
                for x in b { v = v << 8 | UInt64(x) }
                try push(.float(Double(bitPattern: v)))
            case 0x58: try push(try string(try unsigned(4)))  // BINUNICODE
            case 0x8C: try push(try string(try unsigned(1)))  // SHORT_BINUNICODE
            case 0x8D: try push(try string(try unsigned(8)))  // BINUNICODE8
            case 0x54, 0x55:  // BINSTRING, SHORT_BINSTRING (Python 2 str: bytes, read as Latin-1 text)
                let b = try take(op == 0x54 ? try unsigned(4) : try unsigned(1))
                try push(.string(String(b.map { Character(Unicode.Scalar($0)) })))
            case 0x42: try push(.bytes(Array(try take(try unsigned(4)))))  // BINBYTES
            case 0x43: try push(.bytes(Array(try take(try unsigned(1)))))  // SHORT_BINBYTES
            case 0x8E, 0x96: try push(.bytes(Array(try take(try unsigned(8)))))  // BINBYTES8, BYTEARRAY8
            case 0x5D: try push(.list(ListBox()))  // EMPTY_LIST
            case 0x29: try push(.tuple([]))  // EMPTY_TUPLE
            case 0x7D: try push(.dict(DictBox()))  // EMPTY_DICT
            case 0x8F: try push(.set(ListBox()))  // EMPTY_SET
            case 0x28:  // MARK
                marks.append(stack.count)
                try push(.mark)
            case 0x6C:  // LIST
                let box = ListBox()
                box.items = try popMark()
                try push(.list(box))
            case 0x74: try push(.tuple(try popMark()))  // TUPLE
            case 0x85: try push(.tuple([try pop()]))  // TUPLE1
            case 0x86:  // TUPLE2
                let b = try pop()
                try push(.tuple([try pop(), b]))
            case 0x87:  // TUPLE3
                let c = try pop()
                let b = try pop()
                try push(.tuple([try pop(), b, c]))
            case 0x91:  // FROZENSET
                let box = ListBox()
                box.items = try popMark()
                try push(.set(box))
            case 0x64:  // DICT
                let items = try popMark()
                guard items.count % 2 == 0 else { throw fail("DICT with an odd number of items") }
                let box = DictBox()
                box.pairs = stride(from: 0, to: items.count, by: 2).map { (items[$0], items[$0 + 1]) }
                try push(.dict(box))
            case 0x61:  // APPEND
                let v = try pop()
                try list(from: stack.last).items.append(v)
            case 0x65:  // APPENDS
                let v = try popMark()
                try list(from: stack.last).items.append(contentsOf: v)
            case 0x90:  // ADDITEMS
                let v = try popMark()
                guard case .set(let box)? = stack.last else { throw fail("ADDITEMS to something that is not a set") }
                box.items.append(contentsOf: v)
            case 0x73:  // SETITEM
                let v = try pop()
                let k = try pop()
                try dict(from: stack.last).pairs.append((k, v))
            case 0x75:  // SETITEMS
                let items = try popMark()
                guard items.count % 2 == 0 else { throw fail("SETITEMS with an odd number of items") }
                let box = try dict(from: stack.last)
                for i in stride(from: 0, to: items.count, by: 2) { box.pairs.append((items[i], items[i + 1])) }
            case 0x30: _ = try pop()  // POP
            case 0x31: _ = try popMark()  // POP_MARK
            case 0x32:  // DUP
                guard let top = stack.last else { throw fail("DUP on an empty stack") }
                try push(top)
            case 0x71: try memoize(try unsigned(1))  // BINPUT
            case 0x72: try memoize(try unsigned(4))  // LONG_BINPUT
            case 0x94: try memoize(memo.count)  // MEMOIZE
            case 0x68: try recall(try unsigned(1))  // BINGET
            case 0x6A: try recall(try unsigned(4))  // LONG_BINGET
            case 0x63:  // GLOBAL "module\nname\n"
                let module = try line()
                let name = try line()
                try push(try global(module, name))
            case 0x93:  // STACK_GLOBAL
                let name = try pop()
                let module = try pop()
                guard case .string(let n) = name, case .string(let m) = module else { throw fail("STACK_GLOBAL without two strings") }
                try push(try global(m, n))
            case 0x52:  // REDUCE
                let args = try pop()
                let callable = try pop()
                try push(try reduce(callable, args))
            case 0x62:  // BUILD
                let state = try pop()
                guard let target = stack.last else { throw fail("BUILD on an empty stack") }
                try build(target, state)
            case 0x81, 0x92: throw fail("NEWOBJ creates arbitrary objects: refused")
            case 0x50, 0x51: throw fail("persistent ids are refused")
            case 0x97, 0x98: throw fail("out-of-band buffers (protocol 5) are not supported")
            default:
                throw fail(String(format: "unknown or unsupported opcode 0x%02X", op))
            }
        }
    }

    func list(from item: PickleItem?) throws(PickleError) -> ListBox {
        guard case .list(let box)? = item else { throw fail("APPEND to something that is not a list") }
        return box
    }

    func dict(from item: PickleItem?) throws(PickleError) -> DictBox {
        guard case .dict(let box)? = item else { throw fail("SETITEM on something that is not a dict") }
        return box
    }

    mutating func memoize(_ index: Int) throws(PickleError) {
        guard let top = stack.last else { throw fail("memoizes from an empty stack") }
        if case .mark = top { throw fail("memoizes a MARK (corrupt)") }
        memo[index] = top
    }

    mutating func recall(_ index: Int) throws(PickleError) {
        guard let item = memo[index] else { throw fail("refers to memo entry \(index), which was never stored (corrupt)") }
        try push(item)
    }

    func global(_ module: String, _ name: String) throws(PickleError) -> PickleItem {
        let full = module + "." + name
        guard SafePickleReader.allowedGlobals.contains(full) else {
            throw fail("refuses the global \(full): only \(SafePickleReader.allowedGlobals.sorted().joined(separator: ", ")) are accepted (a pickle that calls other code is not data)")
        }
        return .global(full)
    }

    func reduce(_ callable: PickleItem, _ args: PickleItem) throws(PickleError) -> PickleItem {
        guard case .global(let name) = callable, case .tuple(let a) = args else { throw fail("REDUCE of something that is not an accepted global") }
        switch name {
        case "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct":
            guard a.count == 3, case .global("numpy.ndarray") = a[0] else { throw fail("_reconstruct of something other than numpy.ndarray") }
            return .array(ArrayBox())
        case "numpy.dtype":
            guard let first = a.first, case .string(let code) = first else { throw fail("numpy.dtype without a type string") }
            return .dtype(DTypeBox(code: code))
        case "_codecs.encode":
            // Protocol 2's bytes: the text's code points are the bytes.
            guard a.count == 2, case .string(let text) = a[0], case .string(let encoding) = a[1],
                  ["latin1", "latin-1", "iso-8859-1"].contains(encoding.lowercased()) else {
                throw fail("_codecs.encode other than (str, 'latin1') is refused")
            }
            var out: [UInt8] = []
            for scalar in text.unicodeScalars {
                guard scalar.value < 256 else { throw fail("_codecs.encode of a character beyond Latin-1") }
                out.append(UInt8(scalar.value))
            }
            return .bytes(out)
        case "builtins.set", "builtins.frozenset", "__builtin__.set", "__builtin__.frozenset":
            let box = ListBox()
            if let first = a.first {
                guard case .list(let items) = first else { throw fail("\(name) of something that is not a list") }
                box.items = items.items
            }
            return .set(box)
        case "numpy.core.numeric._frombuffer", "numpy._core.numeric._frombuffer":
            guard a.count == 4, case .bytes(let raw) = a[0], case .dtype(let dtype) = a[1], case .tuple(let dims) = a[2],
                  case .string(let order) = a[3] else { throw fail("_frombuffer with unexpected arguments") }
            let box = ArrayBox()
            try build(.array(box), .tuple([.int(1), .tuple(dims), .dtype(dtype), .bool(order == "F"), .bytes(raw)]))
            return .array(box)
        default:
            throw fail("refuses to call \(name)")
        }
    }

    func build(_ target: PickleItem, _ state: PickleItem) throws(PickleError) {
        switch target {
        case .dtype(let box):
            guard case .tuple(let s) = state, s.count >= 2, case .string(let order) = s[1] else { throw fail("a dtype's state is malformed") }
            box.order = order
        case .array(let box):
            guard case .tuple(let s) = state, s.count == 5, case .tuple(let dims) = s[1], case .dtype(let dtype) = s[2] else {
                throw fail("an ndarray's state is malformed (expected version, shape, dtype, fortran flag, data)")
            }
            var shape: [Int] = []
            var count = 1
            for d in dims {
                guard case .int(let v) = d, v >= 0 else { throw fail("an ndarray's shape holds a non-integer") }
                let (p, overflow) = count.multipliedReportingOverflow(by: v)
                guard !overflow, p <= 1 << 40 else { throw fail("an ndarray's shape \(dims.count)-d is absurdly large") }
                shape.append(v)
                count = p
            }
            let fortran: Bool
            switch s[3] {
            case .bool(let f): fortran = f
            case .int(let f): fortran = f != 0
            default: throw fail("an ndarray's fortran flag is malformed")
            }
            guard case .bytes(let raw) = s[4] else { throw fail("an ndarray of Python objects (dtype O) is refused") }
            let descr = (dtype.order == "|" || dtype.order == "=" ? "<" : dtype.order) + dtype.code
            guard let (type, big) = NumPyDType.parse(descr) else { throw fail("an ndarray has the unsupported dtype \(dtype.code)") }
            guard raw.count == count * type.size else {
                throw fail("an ndarray \(dtype.code) \(shape) holds \(raw.count) bytes instead of \(count * type.size)")
            }
            var values = raw.withUnsafeBytes { type.decode($0, count: count, bigEndian: big) }
            if fortran {
                switch values {
                case .floats(let v): values = .floats(fortranToC(v, shape: shape))
                case .integers(let v): values = .integers(fortranToC(v, shape: shape))
                }
            }
            box.array = NumPyArray(shape: shape, dtype: descr, values: values)
        default:
            throw fail("BUILD on an object it cannot build (only numpy arrays and dtypes)")
        }
    }

    // MARK: plain values

    /// Converts the machine's items into values; shared containers are copied, cycles refused.
    func resolve(_ item: PickleItem) throws(PickleError) -> PickleValue {
        var open = Set<ObjectIdentifier>()
        return try resolve(item, depth: 0, open: &open)
    }

    func resolve(_ item: PickleItem, depth: Int, open: inout Set<ObjectIdentifier>) throws(PickleError) -> PickleValue {
        guard depth < SafePickleReader.maximumDepth else {
            throw PickleError(path: path, offset: at, problem: "nests containers deeper than \(SafePickleReader.maximumDepth) levels")
        }
        func inside<T: AnyObject>(_ box: T, _ body: (inout Set<ObjectIdentifier>) throws(PickleError) -> PickleValue) throws(PickleError) -> PickleValue {
            let id = ObjectIdentifier(box)
            guard open.insert(id).inserted else {
                throw PickleError(path: path, offset: at, problem: "contains a cycle (a container inside itself); such data is refused")
            }
            defer { open.remove(id) }
            return try body(&open)
        }
        switch item {
        case .none: return .none
        case .bool(let b): return .bool(b)
        case .int(let v): return .int(v)
        case .float(let v): return .float(v)
        case .string(let s): return .string(s)
        case .bytes(let b): return .bytes(b)
        case .tuple(let items):
            var out: [PickleValue] = []
            for i in items { out.append(try resolve(i, depth: depth + 1, open: &open)) }
            return .tuple(out)
        case .list(let box), .set(let box):
            let isSet: Bool
            if case .set = item { isSet = true } else { isSet = false }
            return try inside(box) { (open: inout Set<ObjectIdentifier>) throws(PickleError) in
                var out: [PickleValue] = []
                for i in box.items { out.append(try resolve(i, depth: depth + 1, open: &open)) }
                return isSet ? .set(out) : .list(out)
            }
        case .dict(let box):
            return try inside(box) { (open: inout Set<ObjectIdentifier>) throws(PickleError) in
                var out: [(key: PickleValue, value: PickleValue)] = []
                for (k, v) in box.pairs {
                    out.append((try resolve(k, depth: depth + 1, open: &open), try resolve(v, depth: depth + 1, open: &open)))
                }
                return .dict(out)
            }
        case .array(let box):
            guard let a = box.array else { throw PickleError(path: path, offset: at, problem: "an ndarray was never filled (no BUILD)") }
            return .array(a)
        case .dtype, .global, .mark:
            throw PickleError(path: path, offset: at, problem: "holds a bare type or function object, which is not data")
        }
    }
}
