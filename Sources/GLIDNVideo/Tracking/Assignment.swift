/// The minimum-cost assignment of rows to columns (Kuhn and Munkres' Hungarian method in the
/// shortest-augmenting-path form of Jonker and Volgenant), for a cost matrix of any shape:
/// every row of the smaller side is assigned, each column at most once.
public enum Assignment {
    /// For each row, its column, or nil when there are more rows than columns and it lost.
    public static func minimumCost(_ cost: [[Double]]) -> [Int?] {
        let rows = cost.count
        guard rows > 0, let columns = cost.first?.count, columns > 0 else { return Array(repeating: nil, count: rows) }
        // Work on the side with fewer rows: transpose when needed.
        if rows > columns {
            let transposed = (0..<columns).map { c in (0..<rows).map { cost[$0][c] } }
            let byColumn = minimumCost(transposed)
            var out = [Int?](repeating: nil, count: rows)
            for (c, r) in byColumn.enumerated() { if let r { out[r] = c } }
            return out
        }
        let (n, m) = (rows, columns)
        var u = [Double](repeating: 0, count: n + 1)
        var v = [Double](repeating: 0, count: m + 1)
        var match = [Int](repeating: 0, count: m + 1)  // match[j]: the row (1-based) on column j
        var way = [Int](repeating: 0, count: m + 1)
        for i in 1...n {
            match[0] = i
            var j0 = 0
            var minimum = [Double](repeating: .infinity, count: m + 1)
            var used = [Bool](repeating: false, count: m + 1)
            repeat {
                used[j0] = true
                let i0 = match[j0]
                var delta = Double.infinity
                var j1 = 0
                for j in 1...m where !used[j] {
                    let reduced = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if reduced < minimum[j] { (minimum[j], way[j]) = (reduced, j0) }
                    if minimum[j] < delta { (delta, j1) = (minimum[j], j) }
                }
                for j in 0...m {
                    if used[j] {
                        u[match[j]] += delta
                        v[j] -= delta
                    } else {
                        minimum[j] -= delta
                    }
                }
                j0 = j1
            } while match[j0] != 0
            repeat {
                let j1 = way[j0]
                match[j0] = match[j1]
                j0 = j1
            } while j0 != 0
        }
        var out = [Int?](repeating: nil, count: n)
        for j in 1...m where match[j] > 0 { out[match[j] - 1] = j - 1 }
        return out
    }
}
