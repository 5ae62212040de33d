import Autograd
import Testing

@Suite("Seeded randomness")
struct SeededGeneratorTests {
    @Test("the same seed gives the same stream, another seed another one")
    func repeatable() {
        var a = SeededGenerator(seed: 42)
        var b = SeededGenerator(seed: 42)
        var c = SeededGenerator(seed: 43)
        let xa = (0..<100).map { _ in a.next() }
        let xb = (0..<100).map { _ in b.next() }
        let xc = (0..<100).map { _ in c.next() }
        #expect(xa == xb && xa != xc)
    }

    @Test("floats are uniform in [0, 1), normals have mean 0 and variance 1")
    func distributions() {
        var g = SeededGenerator(seed: 1)
        let u = (0..<100_000).map { _ in g.nextFloat() }
        #expect(u.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(abs(u.reduce(0, +) / 100_000 - 0.5) < 0.01)
        let n = (0..<100_000).map { _ in Double(g.normal()) }
        let mean = n.reduce(0, +) / 100_000
        let variance = n.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 100_000
        #expect(abs(mean) < 0.02 && abs(variance - 1) < 0.02)
    }

    @Test("bounded integers cover the range evenly; shuffles are permutations")
    func integers() {
        var g = SeededGenerator(seed: 2)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 { counts[g.nextInt(below: 7)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 10_000) < 500 })
        var items = Array(0..<50)
        g.shuffle(&items)
        #expect(items.sorted() == Array(0..<50) && items != Array(0..<50))
    }
}
