import Autograd
import Foundation

extension PickleMachine {
    func global(_ module: String, _ name: String) throws(PickleError) -> PickleItem {
        let full = module + "." + name
        guard SafePickleReader.allowedGlobals.contains(full) else {
            throw fail(
                "refuses the global \(full): only \(SafePickleReader.allowedGlobals.sorted().joined(separator: ", ")) are accepted (a pickle that calls other code is not data)"
            )
        }
        return .global(full)
    }

    mutating func reduce(_ callable: PickleItem, _ args: PickleItem) throws(PickleError) -> PickleItem {
        guard case .global(let name) = callable, let a = args.tupleItems else {
            throw fail("REDUCE of something that is not an accepted global")
        }
        switch name {
        case "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct":
            guard a.count == 3, case .global("numpy.ndarray") = a[0] else {
                throw fail("_reconstruct of something other than numpy.ndarray")
            }
            return .array(ArrayBox())
        case "numpy.dtype":
            guard let first = a.first, case .string(let code) = first else {
                throw fail("numpy.dtype without a type string")
            }
            return .dtype(DTypeBox(code: code))
        case "_codecs.encode":
            // Protocol 2's bytes: the text's code points are the bytes.
            guard a.count == 2, case .string(let text) = a[0], case .string(let encoding) = a[1],
                ["latin1", "latin-1", "iso-8859-1"].contains(encoding.lowercased())
            else {
                throw fail("_codecs.encode other than (str, 'latin1') is refused")
            }
            guard let out = Self.latin1Bytes(text) else { throw fail("_codecs.encode of a character beyond Latin-1") }
            return .bytes(out)
        case "builtins.set", "builtins.frozenset", "__builtin__.set", "__builtin__.frozenset":
            let box = made(ListBox())
            if let first = a.first {
                guard case .list(let items) = first else { throw fail("\(name) of something that is not a list") }
                box.items = items.items
            }
            return .set(box)
        case "numpy.core.numeric._frombuffer", "numpy._core.numeric._frombuffer":
            guard a.count == 4, case .bytes(let raw) = a[0], case .dtype(let dtype) = a[1], let dims = a[2].tupleItems,
                case .string(let order) = a[3]
            else { throw fail("_frombuffer with unexpected arguments") }
            let box = ArrayBox()
            try build(.array(box), tuple([.int(1), tuple(dims), .dtype(dtype), .bool(order == "F"), .bytes(raw)]))
            return .array(box)
        default:
            throw fail("refuses to call \(name)")
        }
    }

    mutating func build(_ target: PickleItem, _ state: PickleItem) throws(PickleError) {
        switch target {
        case .dtype(let box):
            guard let s = state.tupleItems, s.count >= 2, case .string(let order) = s[1] else {
                throw fail("a dtype's state is malformed")
            }
            box.order = order
        case .array(let box):
            guard let s = state.tupleItems, s.count == 5, let dims = s[1].tupleItems, case .dtype(let dtype) = s[2]
            else {
                throw fail("an ndarray's state is malformed (expected version, shape, dtype, fortran flag, data)")
            }
            var shape: [Int] = []
            var count = 1
            for d in dims {
                guard case .int(let v) = d, v >= 0 else { throw fail("an ndarray's shape holds a non-integer") }
                let (p, overflow) = count.multipliedReportingOverflow(by: v)
                guard !overflow, p <= ResourceLimits.maximumElements else {
                    throw fail("an ndarray's shape \(dims.count)-d is beyond the memory limit")
                }
                shape.append(v)
                count = p
            }
            let fortran: Bool
            switch s[3] {
            case .bool(let f): fortran = f
            case .int(let f): fortran = f != 0
            default: throw fail("an ndarray's fortran flag is malformed")
            }
            let raw: [UInt8]
            switch s[4] {
            case .bytes(let b): raw = b
            // Python 2 wrote the data as a str, read here as Latin-1 text: its code points are the bytes.
            case .string(let text):
                guard let b = Self.latin1Bytes(text) else {
                    throw fail("an ndarray's data string holds characters beyond Latin-1")
                }
                raw = b
            default: throw fail("an ndarray of Python objects (dtype O) is refused")
            }
            let descr = (dtype.order == "|" || dtype.order == "=" ? "<" : dtype.order) + dtype.code
            guard let (type, big) = NumPyDType.parse(descr) else {
                throw fail("an ndarray has the unsupported dtype \(dtype.code)")
            }
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
}
