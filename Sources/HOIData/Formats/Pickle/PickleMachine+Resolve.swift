import Foundation

extension PickleMachine {
    /// What resolving has learnt of each container: its value, how deep it nests, how many
    /// values it expands to.
    struct Resolved {
        let value: PickleValue
        let height: Int
        let expansion: Int
    }

    /// Converts the machine's items into values. A container used twice is resolved once and
    /// its value shared; cycles are refused, and so are values that nest deeper than
    /// `SafePickleReader.maximumDepth` or expand to more than the cap.
    mutating func resolve(_ item: PickleItem) throws(PickleError) -> PickleValue {
        var done: [ObjectIdentifier: Resolved] = [:]
        var open = Set<ObjectIdentifier>()
        let cap = max(SafePickleReader.maximumExpansion, 8 * containers.count)
        let result = try resolve(item, depth: 0, done: &done, open: &open, cap: cap)
        return result.value
    }

    func failResolving(_ problem: String) -> PickleError { PickleError(path: path, offset: at, problem: problem) }

    func resolve(
        _ item: PickleItem, depth: Int, done: inout [ObjectIdentifier: Resolved], open: inout Set<ObjectIdentifier>,
        cap: Int
    ) throws(PickleError) -> Resolved {
        guard depth < SafePickleReader.maximumDepth else {
            throw failResolving("nests containers deeper than \(SafePickleReader.maximumDepth) levels")
        }
        func leaf(_ v: PickleValue) -> Resolved { Resolved(value: v, height: 0, expansion: 1) }
        /// The children of a container, resolved once and shared from then on.
        func container(
            _ box: AnyObject, _ children: [PickleItem], _ make: ([PickleValue]) -> PickleValue,
            done: inout [ObjectIdentifier: Resolved], open: inout Set<ObjectIdentifier>
        ) throws(PickleError) -> Resolved {
            let id = ObjectIdentifier(box)
            if let known = done[id] { return known }
            guard open.insert(id).inserted else {
                throw failResolving("contains a cycle (a container inside itself); such data is refused")
            }
            defer { open.remove(id) }
            var values: [PickleValue] = []
            values.reserveCapacity(children.count)
            var (height, expansion) = (0, 1)
            for child in children {
                let r = try resolve(child, depth: depth + 1, done: &done, open: &open, cap: cap)
                values.append(r.value)
                height = max(height, r.height + 1)
                expansion = min(expansion &+ r.expansion, Int.max / 2)
            }
            guard height <= SafePickleReader.maximumDepth else {
                throw failResolving("nests containers deeper than \(SafePickleReader.maximumDepth) levels")
            }
            guard expansion <= cap else {
                throw failResolving(
                    "shares containers so often that its value would expand to more than \(cap) items (refused)")
            }
            let resolved = Resolved(value: make(values), height: height, expansion: expansion)
            done[id] = resolved
            return resolved
        }
        switch item {
        case .none: return leaf(.none)
        case .bool(let b): return leaf(.bool(b))
        case .int(let v): return leaf(.int(v))
        case .float(let v): return leaf(.float(v))
        case .string(let s): return leaf(.string(s))
        case .bytes(let b): return leaf(.bytes(b))
        case .tuple(let box): return try container(box, box.items, { .tuple($0) }, done: &done, open: &open)
        case .list(let box): return try container(box, box.items, { .list($0) }, done: &done, open: &open)
        case .set(let box): return try container(box, box.items, { .set($0) }, done: &done, open: &open)
        case .dict(let box):
            return try container(
                box, box.pairs.flatMap { [$0.0, $0.1] },
                { flat in
                    .dict(stride(from: 0, to: flat.count, by: 2).map { (key: flat[$0], value: flat[$0 + 1]) })
                }, done: &done, open: &open)
        case .array(let box):
            guard let a = box.array else { throw failResolving("an ndarray was never filled (no BUILD)") }
            return leaf(.array(a))
        case .dtype, .global, .mark:
            throw failResolving("holds a bare type or function object, which is not data")
        }
    }
}
