import Foundation

/// A container the machine can empty when it is done. Containers are classes (they stay
/// shared while the pickle runs: memo entries are appended to after being stored), and a
/// chain of them 50,000 deep would be released recursively, one stack frame per level; the
/// machine empties every container it made before releasing any (`PickleMachine.tearDown`).
protocol PickleContainer: AnyObject {
    func empty()
}

final class ListBox: PickleContainer {
    var items: [PickleItem] = []
    func empty() { items = [] }
}

final class DictBox: PickleContainer {
    var pairs: [(PickleItem, PickleItem)] = []
    func empty() { pairs = [] }
}

/// A tuple: immutable in Python, but a box here for the same reason as the others.
final class TupleBox: PickleContainer {
    var items: [PickleItem]
    init(_ items: [PickleItem]) { self.items = items }
    func empty() { items = [] }
}

final class ArrayBox { var array: NumPyArray? }
final class DTypeBox {
    let code: String
    var order: String = "|"
    init(code: String) { self.code = code }
}

enum PickleItem {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case tuple(TupleBox)
    case list(ListBox)
    case dict(DictBox)
    case set(ListBox)
    case global(String)
    case array(ArrayBox)
    case dtype(DTypeBox)
    case mark

    /// A tuple's items (nil for anything else).
    var tupleItems: [PickleItem]? {
        if case .tuple(let box) = self { return box.items }
        return nil
    }
}
