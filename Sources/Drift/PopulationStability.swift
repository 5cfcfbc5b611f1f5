import Foundation

/// The population stability index of two distributions over the same bins.
public enum PopulationStability {
    /// What an empty bin's share is taken to be, so that its logarithm stays finite.
    public static let epsilon = 1e-4

    /// Σ (new − expected) · ln(new / expected) over the bins' shares, each share at least `epsilon`; 0 when the
    /// two are the same, above 0.2 by the usual rule of thumb for a shift worth acting on.
    public static func index(expected: [Int], actual: [Int]) -> Double {
        let expectedTotal = Double(max(expected.reduce(0, +), 1))
        let actualTotal = Double(max(actual.reduce(0, +), 1))
        var sum = 0.0
        for (e, a) in zip(expected, actual) {
            let p = max(Double(e) / expectedTotal, epsilon)
            let q = max(Double(a) / actualTotal, epsilon)
            sum += (q - p) * log(q / p)
        }
        return sum
    }
}
