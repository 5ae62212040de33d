import Foundation

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
