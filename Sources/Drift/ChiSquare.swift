import Foundation

/// Pearson's χ² test of homogeneity: do two samples of categories come from the same distribution?
public enum ChiSquare {
    public struct Result: Sendable, Hashable, Codable {
        public var statistic: Double
        public var degreesOfFreedom: Int
        public var pValue: Double
    }

    /// The test of the 2 × k table of `expected` and `actual` counts (scipy's `chi2_contingency` with
    /// `correction=False`); categories empty on both sides are left out. Nil with fewer than two categories.
    public static func test(expected: [Int], actual: [Int]) -> Result? {
        let columns = zip(expected, actual).filter { $0 + $1 > 0 }
        let first = Double(columns.reduce(0) { $0 + $1.0 })
        let second = Double(columns.reduce(0) { $0 + $1.1 })
        guard columns.count >= 2, first > 0, second > 0 else { return nil }
        let total = first + second
        var statistic = 0.0
        for (e, a) in columns {
            let column = Double(e + a)
            for (observed, row) in [(Double(e), first), (Double(a), second)] {
                let expected = row * column / total
                statistic += (observed - expected) * (observed - expected) / expected
            }
        }
        let freedom = columns.count - 1
        return Result(
            statistic: statistic, degreesOfFreedom: freedom,
            pValue: Gamma.upperRegularized(Double(freedom) / 2, statistic / 2))
    }
}

/// The regularized incomplete gamma function, as Numerical Recipes computes it.
enum Gamma {
    /// Q(a, x) = Γ(a, x) / Γ(a).
    static func upperRegularized(_ a: Double, _ x: Double) -> Double {
        guard x > 0 else { return 1 }
        if x < a + 1 { return max(0, 1 - lowerSeries(a, x)) }
        return min(1, max(0, upperFraction(a, x)))
    }

    /// P(a, x) by its series.
    private static func lowerSeries(_ a: Double, _ x: Double) -> Double {
        var term = 1 / a
        var sum = term
        var denominator = a
        for _ in 0..<10_000 {
            denominator += 1
            term *= x / denominator
            sum += term
            if abs(term) < abs(sum) * 1e-16 { break }
        }
        return sum * exp(-x + a * log(x) - lgamma(a))
    }

    /// Q(a, x) by its continued fraction (modified Lentz).
    private static func upperFraction(_ a: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return exp(-x + a * log(x) - lgamma(a)) * h
    }
}
