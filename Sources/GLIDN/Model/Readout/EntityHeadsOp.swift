import Autograd

/// The two classifiers of one branch of the entity task (docs/MODEL.md, "Readouts and heads") as
/// one op: sub-activity logits W_s·x_n + b_s and affordance logits W_a·[x_n ; h̄] + b_a, where
/// h̄ is the mean of x over the clip's human entities.
///
/// Spelled as plain ops this is a masked mean, a broadcast of h̄ to every entity and two
/// linear maps: nine small matrix products per step and a dozen ops on the tape, each
/// costing more in bookkeeping and thread hand-offs than in arithmetic at these sizes. Here
/// the two maps of x_n share one product (their weights stacked), and the affordance's h̄
/// half is computed once per clip instead of once per entity: three products forward, four
/// backward. Values and gradients equal the composition up to rounding (`EntityHeadsOp+Composition`;
/// the tests check it).
public enum EntityHeadsOp {
    /// - Parameters:
    ///   - x: entity summaries [B, N, D]; humanMask: [B, N] (no gradient).
    ///   - subWeight [S, D], subBias [S], affWeight [A, 2D], affBias [A].
    /// - Returns: [B, N, S + A]: sub-activity logits, then affordance logits.
    public static func apply(
        _ x: Tensor, humanMask: Tensor, subWeight: Tensor, subBias: Tensor, affWeight: Tensor, affBias: Tensor
    ) -> Tensor {
        require(
            x.rank == 3 && humanMask.shape == [x.shape[0], x.shape[1]] && !humanMask.requiresGrad,
            "entity heads: summaries \(Shape.describe(x.shape)) and human mask \(Shape.describe(humanMask.shape))")
        let (b, n, d) = (x.shape[0], x.shape[1], x.shape[2])
        let (s, a) = (subWeight.shape[0], affWeight.shape[0])
        require(
            subWeight.shape == [s, d] && subBias.shape == [s] && affWeight.shape == [a, 2 * d] && affBias.shape == [a],
            "entity heads: weights \(Shape.describe(subWeight.shape)), \(Shape.describe(affWeight.shape)) and biases \(Shape.describe(subBias.shape)), \(Shape.describe(affBias.shape)) do not fit \(d) features"
        )
        if KernelMode.usesPlainOps {
            return composed(
                x, humanMask: humanMask, subWeight: subWeight, subBias: subBias, affWeight: affWeight, affBias: affBias)
        }
        let (rows, width) = (b * n, s + a)
        // W_s over W_a's first D columns: the weights of the per-entity product.
        let stacked = Tensor.uninitialized([width, d])
        // h̄ per clip (a plain value: this op carries its gradient), and 1 / max(humans, 1),
        // the weight of each human's share of that gradient.
        let humans = withoutGradients { x.maskedMean(axis: 1, mask: humanMask) }
        let maskValues = humanMask.values
        let inverseCounts = (0..<b).map { clip in 1 / max(maskValues[(clip * n)..<((clip + 1) * n)].reduce(0, +), 1) }
        let perClip = Tensor.uninitialized([b, a])
        let out = Tensor.uninitialized([b, n, width])
        withExtendedLifetime((x, subWeight, subBias, affWeight, affBias, stacked, humans, perClip, out)) {
            let (xp, st, hp) = (x.storage.pointer, stacked.storage.pointer, humans.storage.pointer)
            st.update(from: subWeight.storage.pointer, count: s * d)
            for row in 0..<a { (st + (s + row) * d).update(from: affWeight.storage.pointer + row * 2 * d, count: d) }
            let o = out.storage.pointer
            BLAS.gemm(
                transA: false, transB: true, m: rows, n: width, k: d, a: xp, lda: d, b: st, ldb: d, c: o, ldc: width)
            // h̄ · W_a[:, D...]ᵀ once per clip.
            BLAS.gemm(
                transA: false, transB: true, m: b, n: a, k: d, a: hp, lda: d, b: affWeight.storage.pointer + d,
                ldb: 2 * d,
                c: perClip.storage.pointer, ldc: a)
            let (sb, ab, pc) = (subBias.storage.pointer, affBias.storage.pointer, perClip.storage.pointer)
            for row in 0..<rows {
                let (logits, clipTerm) = (o + row * width, pc + (row / n) * a)
                for c in 0..<s { logits[c] += sb[c] }
                for c in 0..<a { logits[s + c] += clipTerm[c] + ab[c] }
            }
        }
        let (xs, stackedWeights, affordance, mask) = (x.detached(), stacked, affWeight.detached(), humanMask)
        return Tensor.record(out, inputs: [x, subWeight, subBias, affWeight, affBias]) { g in
            let dx = Tensor.uninitialized([b, n, d])
            let (dSubWeight, dSubBias) = (Tensor.uninitialized([s, d]), Tensor.zeros([s]))
            let (dAffWeight, dAffBias) = (Tensor.uninitialized([a, 2 * d]), Tensor.zeros([a]))
            let dStacked = Tensor.uninitialized([width, d])
            // Σ over each clip's entities of the affordance gradient, and its pull on h̄.
            let clipGrad = Tensor.zeros([b, a])
            let dHumans = Tensor.uninitialized([b, d])
            withExtendedLifetime(
                (
                    g, xs, stackedWeights, affordance, mask, humans, dx, dSubWeight, dSubBias, dAffWeight, dAffBias,
                    dStacked, clipGrad, dHumans
                )
            ) {
                let (gp, xp, dxp) = (g.storage.pointer, xs.storage.pointer, dx.storage.pointer)
                let (cg, dsb, dab) = (clipGrad.storage.pointer, dSubBias.storage.pointer, dAffBias.storage.pointer)
                for row in 0..<rows {
                    let (logits, clipRow) = (gp + row * width, cg + (row / n) * a)
                    for c in 0..<s { dsb[c] += logits[c] }
                    for c in 0..<a { clipRow[c] += logits[s + c] }
                }
                for clip in 0..<b {
                    for c in 0..<a { dab[c] += cg[clip * a + c] }
                }
                BLAS.gemm(
                    transA: false, transB: false, m: rows, n: d, k: width, a: gp, lda: width,
                    b: stackedWeights.storage.pointer, ldb: d, c: dxp, ldc: d)
                BLAS.gemm(
                    transA: false, transB: false, m: b, n: d, k: a, a: cg, lda: a, b: affordance.storage.pointer + d,
                    ldb: 2 * d,
                    c: dHumans.storage.pointer, ldc: d)
                let (mp, dh) = (mask.storage.pointer, dHumans.storage.pointer)
                for row in 0..<rows where mp[row] != 0 {
                    VectorMath.axpy(mp[row] * inverseCounts[row / n], dh + (row / n) * d, dxp + row * d, d)
                }
                let ds = dStacked.storage.pointer
                BLAS.gemm(
                    transA: true, transB: false, m: width, n: d, k: rows, a: gp, lda: width, b: xp, ldb: d, c: ds,
                    ldc: d)
                dSubWeight.storage.pointer.update(from: ds, count: s * d)
                let daw = dAffWeight.storage.pointer
                for row in 0..<a { (daw + row * 2 * d).update(from: ds + (s + row) * d, count: d) }
                BLAS.gemm(
                    transA: true, transB: false, m: a, n: d, k: b, a: cg, lda: a, b: humans.storage.pointer, ldb: d,
                    c: daw + d, ldc: 2 * d)
            }
            return [dx, dSubWeight, dSubBias, dAffWeight, dAffBias]
        }
    }
}
