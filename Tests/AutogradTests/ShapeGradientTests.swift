import Autograd
import TestSupport
import Testing

@Suite("Reshaping, joining and picking")
struct ShapeGradientTests {
    @Test("reshape, unsqueeze, permute, transpose")
    func rearrange() {
        let x = Tensor.seeded([2, 3, 4], seed: 60)
        #expect(GradientCheck.failures([x]) { $0[0].reshaped([4, -1]) }.isEmpty)
        #expect(GradientCheck.failures([x]) { $0[0].unsqueezed(axis: 1) }.isEmpty)
        #expect(GradientCheck.failures([x]) { $0[0].permuted([2, 0, 1]) }.isEmpty)
        #expect(GradientCheck.failures([x]) { $0[0].transposed(0, 2) }.isEmpty)
        let t = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        #expect(t.transposed().values == [1, 4, 2, 5, 3, 6])
        #expect(t.reshaped([3, -1]).shape == [3, 2])
        let p = Tensor(shape: [2, 2, 2], values: [0, 1, 2, 3, 4, 5, 6, 7]).permuted([2, 0, 1])
        #expect(p.values == [0, 2, 4, 6, 1, 3, 5, 7])
        #expect(Tensor(shape: [3], values: [1, 2, 3]).unsqueezed(axis: -1).shape == [3, 1])
    }

    @Test("concat, split and slice along an axis", arguments: [0, 1, 2])
    func join(axis: Int) {
        var s1 = [2, 3, 4]
        s1[axis] = 1
        let a = Tensor.seeded([2, 3, 4], seed: 61)
        let b = Tensor.seeded(s1, seed: 62)
        let f1 = GradientCheck.failures([a, b]) { Tensor.concat([$0[0], $0[1], $0[0]], axis: axis) }
        #expect(f1.isEmpty, "\(f1)")
        let n = a.shape[axis]
        let f2 = GradientCheck.failures([a]) { v in
            let parts = v[0].split(axis: axis, sizes: [1, n - 1])
            return parts[1].sum(axis: axis) * 2 + parts[0].sum(axis: axis)
        }
        #expect(f2.isEmpty, "\(f2)")
        let f3 = GradientCheck.failures([a]) { $0[0].sliced(axis: axis, range: 1..<n) }
        #expect(f3.isEmpty, "\(f3)")
    }

    @Test("concat and slice values")
    func joinValues() {
        let a = Tensor(shape: [2, 2], values: [1, 2, 3, 4])
        let b = Tensor(shape: [2, 1], values: [9, 8])
        #expect(Tensor.concat([a, b], axis: 1).values == [1, 2, 9, 3, 4, 8])
        #expect(Tensor.concat([a, a], axis: 0).values == [1, 2, 3, 4, 1, 2, 3, 4])
        #expect(a.sliced(axis: 1, range: 1..<2).values == [2, 4])
        #expect(a.split(axis: 0, sizes: [1, 1]).map(\.values) == [[1, 2], [3, 4]])
    }

    @Test("indexSelect with repeated indices adds gradients back", arguments: [0, 1])
    func gather(axis: Int) {
        let table = Tensor.seeded([4, 3], seed: 63)
        let f = GradientCheck.failures([table]) { $0[0].indexSelect(axis: axis, indices: [2, 0, 2, 1]) }
        #expect(f.isEmpty, "\(f)")
        let t = Tensor(shape: [3, 2], values: [1, 2, 3, 4, 5, 6]).requiringGrad()
        let picked = t.indexSelect(axis: 0, indices: [2, 2, 0])
        #expect(picked.values == [5, 6, 5, 6, 1, 2])
        picked.sum().backward()
        #expect(t.grad!.values == [1, 1, 0, 0, 2, 2])
    }
}
