/// Matrix products (2-d and batched) and the fused linear map, all through `BLAS.gemm`.
extension Tensor {
    /// op(a) · op(b) over the last two axes, where op transposes when asked.
    /// Leading axes are batch axes and must agree; a 2-d `b` is shared by the whole batch.
    public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        guard a.rank >= 2, b.rank >= 2 else {
            shapeFailure(
                ShapeError(
                    op: "matmul",
                    "operands need two axes, got \(Shape.describe(a.shape)) and \(Shape.describe(b.shape))"))
        }
        if b.rank == 2 && a.rank > 2 && !transposeA {
            // One product for the whole batch: fold a's batch axes into its rows.
            let rows = a.reshaped([-1, a.shape[a.rank - 1]])
            let product = matmul(rows, b, transposeB: transposeB)
            return product.reshaped(Array(a.shape.dropLast()) + [product.shape[1]])
        }
        let batchA = Array(a.shape.dropLast(2))
        let batchB = Array(b.shape.dropLast(2))
        guard batchA == batchB else {
            shapeFailure(
                ShapeError(
                    op: "matmul", "batch axes of \(Shape.describe(a.shape)) and \(Shape.describe(b.shape)) differ"))
        }
        let (ra, ca) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let (rb, cb) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
        let (m, k) = transposeA ? (ca, ra) : (ra, ca)
        let (kb, n) = transposeB ? (cb, rb) : (rb, cb)
        guard k == kb else {
            shapeFailure(
                ShapeError(
                    op: "matmul",
                    "inner sizes differ: \(Shape.describe(a.shape))\(transposeA ? "ᵀ" : "") · \(Shape.describe(b.shape))\(transposeB ? "ᵀ" : "")"
                ))
        }
        let batch = Shape.count(batchA)
        let value = Tensor(shape: batchA + [m, n]) { out in
            a.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { y in
                    for i in 0..<batch {
                        BLAS.gemm(
                            transA: transposeA, transB: transposeB, m: m, n: n, k: k,
                            a: x.baseAddress! + i * ra * ca, lda: ca,
                            b: y.baseAddress! + i * rb * cb, ldb: cb,
                            c: out.baseAddress! + i * m * n, ldc: n)
                    }
                }
            }
        }
        let (ca2, cb2) = (a.detached(), b.detached())
        let (needA, needB) = (a.requiresGrad, b.requiresGrad)
        return record(value, inputs: [a, b]) { g in
            let gradA: Tensor? =
                !needA
                ? nil
                : transposeA
                    ? matmul(cb2, g, transposeA: transposeB, transposeB: true)
                    : matmul(g, cb2, transposeB: !transposeB)
            let gradB: Tensor? =
                !needB
                ? nil
                : transposeB
                    ? matmul(g, ca2, transposeA: true, transposeB: transposeA)
                    : matmul(ca2, g, transposeA: !transposeA)
            return [gradA, gradB]
        }
    }

    /// x · weightᵀ + bias over the last axis of x, as PyTorch's `Linear`:
    /// x [..., in], weight [out, in], bias [out].
    public func linear(weight: Tensor, bias: Tensor?) -> Tensor {
        Tensor.linear(concatenating: [self], weight: weight, bias: bias)
    }

    /// The linear map of the concatenation of `inputs` along their last axis, without
    /// building the concatenation: each input multiplies its own block of columns of
    /// `weight` (one BLAS product per input, reading the block in place).
    /// inputs [..., in_k] with equal leading axes, weight [out, Σ in_k], bias [out].
    public static func linear(concatenating inputs: [Tensor], weight: Tensor, bias: Tensor?) -> Tensor {
        if inputs.count > 1 && KernelMode.usesPlainOps {
            return composedLinear(concatenating: inputs, weight: weight, bias: bias)
        }
        guard let first = inputs.first, first.rank >= 1 else {
            shapeFailure(ShapeError(op: "linear", "needs at least one input with a feature axis"))
        }
        let lead = Array(first.shape.dropLast())
        let widths = inputs.map { $0.shape.last ?? 0 }
        let total = widths.reduce(0, +)
        guard weight.rank == 2, weight.shape[1] == total, inputs.allSatisfy({ Array($0.shape.dropLast()) == lead })
        else {
            shapeFailure(
                ShapeError(
                    op: "linear",
                    "inputs \(inputs.map { Shape.describe($0.shape) }.joined(separator: " ++ ")) do not fit weight \(Shape.describe(weight.shape)) ([out, in])"
                ))
        }
        let outFeatures = weight.shape[0]
        if let bias, bias.shape != [outFeatures] {
            shapeFailure(
                ShapeError(
                    op: "linear",
                    "bias \(Shape.describe(bias.shape)) does not fit weight \(Shape.describe(weight.shape))"))
        }
        let rows = Shape.count(lead)
        let offsets = widths.indices.map { widths[..<$0].reduce(0, +) }
        let value = Tensor(shape: lead + [outFeatures]) { out in
            if let bias {
                bias.withUnsafeBufferPointer { b in
                    let p = UnsafeSendable((out.baseAddress!, b.baseAddress!))
                    Parallel.forEachChunk(
                        count: rows, minimumChunk: Swift.max(1, parallelChunk / Swift.max(outFeatures, 1))
                    ) { range in
                        let (o, bv) = p.value
                        for r in range { (o + r &* outFeatures).update(from: bv, count: outFeatures) }
                    }
                }
            }
            weight.withUnsafeBufferPointer { w in
                for (k, x) in inputs.enumerated() {
                    x.withUnsafeBufferPointer { xv in
                        BLAS.gemm(
                            transA: false, transB: true, m: rows, n: outFeatures, k: widths[k],
                            a: xv.baseAddress!, lda: widths[k], b: w.baseAddress! + offsets[k], ldb: total,
                            beta: bias == nil && k == 0 ? 0 : 1, c: out.baseAddress!, ldc: outFeatures)
                    }
                }
            }
        }
        let saved = inputs.map { $0.detached() }
        let w = weight.detached()
        let needInputs = inputs.map(\.requiresGrad)
        let (needW, needB) = (weight.requiresGrad, bias?.requiresGrad ?? false)
        var recorded = inputs + [weight]
        if let bias { recorded.append(bias) }
        let count = recorded.count
        return Tensor.record(value, inputs: recorded) { g in
            var grads = [Tensor?](repeating: nil, count: count)
            g.withUnsafeBufferPointer { gv in
                w.withUnsafeBufferPointer { wv in
                    for (k, x) in saved.enumerated() where needInputs[k] {
                        grads[k] = Tensor(shape: x.shape) { dx in
                            BLAS.gemm(
                                transA: false, transB: false, m: rows, n: widths[k], k: outFeatures,
                                a: gv.baseAddress!, lda: outFeatures, b: wv.baseAddress! + offsets[k], ldb: total,
                                c: dx.baseAddress!, ldc: widths[k])
                        }
                    }
                }
                if needW {
                    grads[saved.count] = Tensor(shape: [outFeatures, total]) { dw in
                        for (k, x) in saved.enumerated() {
                            x.withUnsafeBufferPointer { xv in
                                BLAS.gemm(
                                    transA: true, transB: false, m: outFeatures, n: widths[k], k: rows,
                                    a: gv.baseAddress!, lda: outFeatures, b: xv.baseAddress!, ldb: widths[k],
                                    c: dw.baseAddress! + offsets[k], ldc: total)
                            }
                        }
                    }
                }
                if needB && count == saved.count + 2 {
                    grads[saved.count + 1] = g.reshaped([rows, outFeatures]).sum(axis: 0)
                }
            }
            return grads
        }
    }
}
