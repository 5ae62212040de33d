/// Broadcasting arithmetic: + - * / between tensors and with scalars.
extension Tensor {
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let value = broadcastMap(a, b, op: "add", +)
        let (sa, sb) = (a.shape, b.shape)
        let (needA, needB) = (a.requiresGrad, b.requiresGrad)
        return record(value, inputs: [a, b]) { g in
            [needA ? g.sum(toShape: sa) : nil, needB ? g.sum(toShape: sb) : nil]
        }
    }

    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let value = broadcastMap(a, b, op: "subtract", -)
        let (sa, sb) = (a.shape, b.shape)
        let (needA, needB) = (a.requiresGrad, b.requiresGrad)
        return record(value, inputs: [a, b]) { g in
            [needA ? g.sum(toShape: sa) : nil, needB ? g.sum(toShape: sb).map { -$0 } : nil]
        }
    }

    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let value = broadcastMap(a, b, op: "multiply", *)
        let (ca, cb) = (a.detached(), b.detached())
        let (needA, needB) = (a.requiresGrad, b.requiresGrad)
        return record(value, inputs: [a, b]) { g in
            [
                needA ? broadcastMap(g, cb, op: "multiply", *).sum(toShape: ca.shape) : nil,
                needB ? broadcastMap(g, ca, op: "multiply", *).sum(toShape: cb.shape) : nil,
            ]
        }
    }

    public static func / (a: Tensor, b: Tensor) -> Tensor {
        let value = broadcastMap(a, b, op: "divide", /)
        let (ca, cb) = (a.detached(), b.detached())
        let (needA, needB) = (a.requiresGrad, b.requiresGrad)
        return record(value, inputs: [a, b]) { g in
            // d(a/b)/db = -a/b² = -(a/b)/b
            [
                needA ? broadcastMap(g, cb, op: "divide", /).sum(toShape: ca.shape) : nil,
                needB
                    ? broadcastMap(broadcastMap(g, value, op: "divide", *), cb, op: "divide") { -$0 / $1 }
                        .sum(toShape: cb.shape)
                    : nil,
            ]
        }
    }

    public static prefix func - (a: Tensor) -> Tensor {
        record(a.map { -$0 }, inputs: [a]) { g in [g.map { -$0 }] }
    }

    public static func + (a: Tensor, s: Float) -> Tensor {
        record(a.map { $0 + s }, inputs: [a]) { g in [g] }
    }

    public static func + (s: Float, a: Tensor) -> Tensor { a + s }

    public static func - (a: Tensor, s: Float) -> Tensor { a + (-s) }

    public static func - (s: Float, a: Tensor) -> Tensor {
        record(a.map { s - $0 }, inputs: [a]) { g in [g.map { -$0 }] }
    }

    public static func * (a: Tensor, s: Float) -> Tensor {
        record(a.map { $0 * s }, inputs: [a]) { g in [g.map { $0 * s }] }
    }

    public static func * (s: Float, a: Tensor) -> Tensor { a * s }

    public static func / (a: Tensor, s: Float) -> Tensor { a * (1 / s) }
}
