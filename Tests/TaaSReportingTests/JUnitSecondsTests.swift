import Testing

@testable import TaaSReporting

/// JUnit's `time` attribute: seconds with three decimals, from whole milliseconds.
struct JUnitSecondsTests {
    @Test(arguments: [
        (0, "0.000"), (7, "0.007"), (12, "0.012"), (999, "0.999"), (1000, "1.000"), (1005, "1.005"), (61_234, "61.234"),
    ])
    func millisecondsBecomeSeconds(milliseconds: Int, text: String) {
        #expect(JUnitReport.seconds(milliseconds) == text)
    }
}
