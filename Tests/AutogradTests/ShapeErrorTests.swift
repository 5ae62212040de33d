import Autograd
import Testing

@Suite("Clear messages for bad shapes")
struct ShapeErrorTests {
    @Test("broadcast names the op and both shapes")
    func broadcastMessage() throws {
        #expect(throws: ShapeError(op: "add", "shapes [2, 3] and [4] cannot be broadcast together")) {
            try Shape.broadcast([2, 3], [4], op: "add")
        }
        #expect(try Shape.broadcast([2, 1, 3], [4, 1], op: "add") == [2, 4, 3])
        #expect(try Shape.broadcast([], [5], op: "add") == [5])
    }

    @Test("axis errors name the axis and the rank")
    func axisMessage() throws {
        #expect(throws: ShapeError(op: "sum", "axis 3 is out of range for a tensor of rank 2")) {
            try Shape.axis(3, rank: 2, op: "sum")
        }
        #expect(try Shape.axis(-1, rank: 3, op: "sum") == 2)
    }

    @Test("a mismatched op stops with a message naming the op and both shapes")
    func trapMessage() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]) + Tensor.zeros([4])
        }
        let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(stderr.contains("add: shapes [2, 3] and [4] cannot be broadcast together"), "\(stderr)")
    }

    @Test("matmul names the inner sizes that differ")
    func matmulMessage() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.matmul(Tensor.zeros([2, 3]), Tensor.zeros([4, 5]))
        }
        let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(stderr.contains("matmul: inner sizes differ: [2, 3] · [4, 5]"), "\(stderr)")
    }
}
