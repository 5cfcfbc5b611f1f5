import Runs
import Testing

/// How a preview writes a number: short enough to read in a table, never an exponent for an
/// everyday magnitude such as an income.
@Suite struct PreviewNumberTests {
    @Test(arguments: [
        (12.0, "12"), (-3.0, "-3"), (0.56691343, "0.5669"), (1234.5678, "1235"), (53673.32781277339, "53673.3"),
        (-25282.88782686987, "-25282.9"), (999_999.94, "999999.9"), (2_000_000.5, "2.000e+06"),
        (0.0001234, "1.234e-04"),
    ])
    func numbersReadAtAGlance(value: Double, text: String) {
        #expect(ColumnSummary.text(value) == text)
    }
}
