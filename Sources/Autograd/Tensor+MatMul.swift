/// Matrix products (2-d and batched) and the fused linear map, all through `BLAS.gemm`.
extension Tensor {
    /// op(a) · op(b) over the last two axes, where op transposes when asked.
    /// Leading axes are batch axes and must agree; a 2-d `b` is shared by the whole batch.
    public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        guard a.rank >= 2, b.rank >= 2 else {
            shapeFailure(ShapeError(op: "matmul", "operands need two axes, got \(Shape.describe(a.shape)) and \(Shape.describe(b.shape))"))
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
            shapeFailure(ShapeError(op: "matmul", "batch axes of \(Shape.describe(a.shape)) and \(Shape.describe(b.shape)) differ"))
        }
        let (ra, ca) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let (rb, cb) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
        let (m, k) = transposeA ? (ca, ra) : (ra, ca)
        let (kb, n) = transposeB ? (cb, rb) : (rb, cb)
        guard k == kb else {
            shapeFailure(ShapeError(op: "matmul", "inner sizes differ: \(Shape.describe(a.shape))\(transposeA ? "ᵀ" : "") · \(Shape.describe(b.shape))\(transposeB ? "ᵀ" : "")"))
        }
        let batch = Shape.count(batchA)
        let value = Tensor(shape: batchA + [m, n]) { out in
            a.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { y in
                    for i in 0..<batch {
                        BLAS.gemm(transA: transposeA, transB: transposeB, m: m, n: n, k: k,
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
            let gradA: Tensor? = !needA ? nil : transposeA
                ? matmul(cb2, g, transposeA: transposeB, transposeB: true)
                : matmul(g, cb2, transposeB: !transposeB)
            let gradB: Tensor? = !needB ? nil : transposeB
                ? matmul(g, ca2, transposeA: true, transposeB: transposeA)
                : matmul(ca2, g, transposeA: !transposeA)
            return [gradA, gradB]
        }
    }

    /// x · weightᵀ + bias over the last axis of x, as PyTorch's `Linear`:
    /// x [..., in], weight [out, in], bias [out].
    public func linear(weight: Tensor, bias: Tensor?) -> Tensor {
        let inFeatures = shape.last ?? 0
        guard weight.rank == 2, weight.shape[1] == inFeatures, rank >= 1 else {
            shapeFailure(ShapeError(op: "linear", "input \(Shape.describe(shape)) does not fit weight \(Shape.describe(weight.shape)) ([out, in])"))
        }
        let outFeatures = weight.shape[0]
        if let bias, bias.shape != [outFeatures] {
            shapeFailure(ShapeError(op: "linear", "bias \(Shape.describe(bias.shape)) does not fit weight \(Shape.describe(weight.shape))"))
        }
        let rows = count / Swift.max(inFeatures, 1)
        let outShape = Array(shape.dropLast()) + [outFeatures]
        let value = Tensor(shape: outShape) { out in
            if let bias {
                bias.withUnsafeBufferPointer { b in
                    for r in 0..<rows {
                        for j in 0..<outFeatures { out[r * outFeatures + j] = b[j] }
                    }
                }
            }
            withUnsafeBufferPointer { x in
                weight.withUnsafeBufferPointer { w in
                    BLAS.gemm(transA: false, transB: true, m: rows, n: outFeatures, k: inFeatures,
                              a: x.baseAddress!, lda: inFeatures, b: w.baseAddress!, ldb: inFeatures,
                              beta: bias == nil ? 0 : 1, c: out.baseAddress!, ldc: outFeatures)
                }
            }
        }
        let input = detached()
        let w = weight.detached()
        let (needX, needW, needB) = (requiresGrad, weight.requiresGrad, bias?.requiresGrad ?? false)
        let inShape = shape
        var inputs = [self, weight]
        if let bias { inputs.append(bias) }
        let inputCount = inputs.count
        return Tensor.record(value, inputs: inputs) { g in
            var grads = [Tensor?](repeating: nil, count: inputCount)
            g.withUnsafeBufferPointer { gv in
                if needX {
                    grads[0] = Tensor(shape: inShape) { dx in
                        w.withUnsafeBufferPointer { wv in
                            BLAS.gemm(transA: false, transB: false, m: rows, n: inFeatures, k: outFeatures,
                                      a: gv.baseAddress!, lda: outFeatures, b: wv.baseAddress!, ldb: inFeatures,
                                      c: dx.baseAddress!, ldc: inFeatures)
                        }
                    }
                }
                if needW {
                    grads[1] = Tensor(shape: [outFeatures, inFeatures]) { dw in
                        input.withUnsafeBufferPointer { xv in
                            BLAS.gemm(transA: true, transB: false, m: outFeatures, n: inFeatures, k: rows,
                                      a: gv.baseAddress!, lda: outFeatures, b: xv.baseAddress!, ldb: inFeatures,
                                      c: dw.baseAddress!, ldc: inFeatures)
                        }
                    }
                }
                if needB && inputCount == 3 {
                    grads[2] = Tensor(shape: [outFeatures]) { db in
                        db.initialize(repeating: 0)
                        for r in 0..<rows {
                            for j in 0..<outFeatures { db[j] += gv[r * outFeatures + j] }
                        }
                    }
                }
            }
            return grads
        }
    }
}
