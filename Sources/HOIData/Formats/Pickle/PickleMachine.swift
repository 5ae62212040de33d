import Foundation

/// The pickle virtual machine: a stack, marks and a memo, run opcode by opcode
/// (`+Operands` reads operands, `+Opcodes` dispatches, `+Containers` fills lists, dicts
/// and sets, `+Globals` builds the few allowed objects, `+Resolve` turns the result into
/// plain values).
struct PickleMachine {
    let bytes: [UInt8]
    let path: String
    var at = 0
    var opcodeStart = 0
    var stack: [PickleItem] = []
    var marks: [Int] = []
    var memo: [Int: PickleItem] = [:]
    /// Every container made, for `tearDown`.
    var containers: [any PickleContainer] = []

    init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    func fail(_ problem: String) -> PickleError { PickleError(path: path, offset: opcodeStart, problem: problem) }

    /// A new container, registered for `tearDown`.
    mutating func made<Box: PickleContainer>(_ box: Box) -> Box {
        containers.append(box)
        return box
    }

    mutating func tuple(_ items: [PickleItem]) -> PickleItem { .tuple(made(TupleBox(items))) }

    /// Empties every container, so that releasing them never recurses (however deep they nest).
    mutating func tearDown() {
        for box in containers { box.empty() }
        containers = []
        stack = []
        memo = [:]
    }
}
