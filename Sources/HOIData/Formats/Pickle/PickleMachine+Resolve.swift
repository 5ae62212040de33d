import Foundation

extension PickleMachine {
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
