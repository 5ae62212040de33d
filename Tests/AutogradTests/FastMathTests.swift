import Autograd
import Foundation
import Testing

@Suite("Fast exp")
struct FastMathTests {
    @Test("within 2 ulp of Foundation's exp across the float range; tiny results flush to 0")
    func accuracy() {
        var x: Float = -86
        var worst: Float = 0
        while x < 88.7 {
            let want = Foundation.exp(x)
            let got = FastMath.exp(x)
            worst = max(worst, abs(got - want) / want.ulp)
            x += 0.0137
        }
        #expect(worst <= 2, "worst error \(worst) ulp")
        #expect(FastMath.exp(0) == 1)
        #expect(FastMath.exp(-1e9) == 0 && FastMath.exp(-100) == 0)
        #expect(FastMath.exp(88.72).isFinite && FastMath.exp(88.72) > 3.3e38)
        #expect(abs(FastMath.elu(-0.5) - expm1(-0.5)) < 1e-7 && FastMath.elu(2) == 2)
    }
}
