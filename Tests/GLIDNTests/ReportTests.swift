import GLIDN
import Testing

/// Chart axes tick at round values: whole epochs, and steps of 1, 2 or 5 times a power of ten.
@Suite("Report charts")
struct ReportTests {
    @Test("epoch axes tick at whole epochs; value axes at round steps; labels carry no rounding noise")
    func roundTicks() {
        #expect(SVGChart.niceTicks(0, 37, integers: true) == [0, 10, 20, 30])
        #expect(SVGChart.niceTicks(0.5, 3, integers: true) == [1, 2, 3])
        #expect(SVGChart.niceTicks(1, 3, integers: true).allSatisfy { $0 == $0.rounded() })
        let values = SVGChart.niceTicks(0.12, 0.47)
        #expect(values.count == 3)
        for (v, want) in zip(values, [0.2, 0.3, 0.4]) { #expect(abs(v - want) < 1e-12) }
        // A padded range that dips below zero ticks at 0, not at -0.0122.
        #expect(SVGChart.niceTicks(-0.0122, 0.25).first == 0)
        #expect(SVGChart.tickLabel(3.0) == "3")
        #expect(SVGChart.tickLabel(0.30000000000000004) == "0.3")
        #expect(SVGChart.tickLabel(-0.05) == "-0.05")
        #expect(SVGChart.niceTicks(2, 2) == [2])
    }
}
