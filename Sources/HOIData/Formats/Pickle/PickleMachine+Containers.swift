import Foundation

extension PickleMachine {
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
        guard let item = memo[index] else {
            throw fail("refers to memo entry \(index), which was never stored (corrupt)")
        }
        try push(item)
    }
}
