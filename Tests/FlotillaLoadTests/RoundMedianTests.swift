import Testing

@testable import FlotillaLoad

@Suite("Round medians")
struct RoundMedianTests {
    @Test func anOddCountTakesTheMiddleValueWhateverTheOrder() {
        #expect(RoundMedian.of([0.36, 0.23, 0.29]) == 0.29)
        #expect(RoundMedian.of([5]) == 5)
    }

    @Test func anEvenCountAveragesTheTwoMiddleValues() {
        #expect(RoundMedian.of([4, 1, 3, 2]) == 2.5)
    }

    @Test func nothingMeasuredHasNoMedian() {
        #expect(RoundMedian.of([]) == nil)
        #expect(RoundMedian.of([1, .nan, 3]) == nil)
        #expect(RoundMedian.round(of: []) == nil)
        #expect(RoundMedian.round(of: [.nan]) == nil)
    }

    @Test func theMedianRoundIsWhereTheMiddleValueWasMeasured() {
        #expect(RoundMedian.round(of: [9_000, 6_500, 8_100]) == 2)
        #expect(RoundMedian.round(of: [7]) == 0)
        // Even count: the lower of the two middle rounds.
        #expect(RoundMedian.round(of: [40, 10, 30, 20]) == 3)
    }
}
