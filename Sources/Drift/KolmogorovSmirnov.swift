import Foundation

/// The two-sample Kolmogorov–Smirnov test.
public enum KolmogorovSmirnov {
    public struct Result: Sendable, Hashable, Codable {
        /// The largest distance between the two empirical distribution functions.
        public var statistic: Double
        /// From the asymptotic Kolmogorov distribution at √(n·m / (n + m)) · D (scipy's `kstwobign.sf`).
        public var pValue: Double
    }

    /// The test of `sample` (sorted, no NaN) against `values` (any order; NaN values are left out): the
    /// statistic is exact, as scipy's `ks_2samp` computes it, in O(m log n) for m values, without sorting them.
    public static func test(sample: [Double], against values: [Double]) -> Result? {
        guard !sample.isEmpty else { return nil }
        // The distinct values of the sample, with how many sample values lie at or below each.
        var distinct: [Double] = []
        var atOrBelow: [Int] = []
        for (index, value) in sample.enumerated() {
            if distinct.last == value {
                atOrBelow[atOrBelow.count - 1] = index + 1
            } else {
                distinct.append(value)
                atOrBelow.append(index + 1)
            }
        }
        // New values equal to distinct[j] (`equal[j]`), and strictly between distinct[j-1] and distinct[j]
        // (`between[j]`; `between[k]` above the largest).
        var equal = [Int](repeating: 0, count: distinct.count)
        var between = [Int](repeating: 0, count: distinct.count + 1)
        var m = 0
        for value in values where !value.isNaN {
            m += 1
            let slot = Bins.index(of: value, edges: distinct)
            if slot < distinct.count, distinct[slot] == value { equal[slot] += 1 } else { between[slot] += 1 }
        }
        guard m > 0 else { return nil }
        let n = Double(sample.count)
        let total = Double(m)
        var seen = between[0]
        var distance = Double(seen) / total
        for j in distinct.indices {
            let below = Double(atOrBelow[j]) / n
            seen += equal[j]
            distance = max(distance, abs(below - Double(seen) / total))
            seen += between[j + 1]
            distance = max(distance, abs(below - Double(seen) / total))
        }
        let effective = n * total / (n + total)
        return Result(statistic: distance, pValue: survival(effective.squareRoot() * distance))
    }

    /// P(K > x) for the Kolmogorov distribution K, by the series that converges fast on each side of 1.
    public static func survival(_ x: Double) -> Double {
        guard x > 0 else { return 1 }
        if x < 1 {
            // P(K ≤ x) = √(2π)/x · Σ exp(−(2k−1)²π²/(8x²)).
            var sum = 0.0
            for k in 1...20 {
                let odd = Double(2 * k - 1)
                sum += exp(-odd * odd * Double.pi * Double.pi / (8 * x * x))
            }
            return min(1, max(0, 1 - (2 * Double.pi).squareRoot() / x * sum))
        }
        // P(K > x) = 2 Σ (−1)^(k−1) exp(−2k²x²).
        var sum = 0.0
        for k in 1...100 {
            let term = exp(-2 * Double(k * k) * x * x)
            sum += k % 2 == 1 ? term : -term
            if term < 1e-300 { break }
        }
        return min(1, max(0, 2 * sum))
    }
}
