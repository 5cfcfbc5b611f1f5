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
        let grid = Grid(distinct)
        distinct.withUnsafeBufferPointer { points in
            for value in values where !value.isNaN {
                m += 1
                // How many distinct points lie below the value (as `Bins.index`): a binary search within the
                // few points of the value's cell of the grid.
                var (low, high) = grid.range(of: value)
                while low < high {
                    let middle = (low + high) / 2
                    if points[middle] < value { low = middle + 1 } else { high = middle }
                }
                if low < points.count, points[low] == value { equal[low] += 1 } else { between[low] += 1 }
            }
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

    /// Equal cells over the range of sorted points, each knowing how many points lie below it: a value's cell
    /// narrows the search for its place to a few points, where a binary search over all of them would
    /// mispredict a branch at each of its ten steps.
    struct Grid {
        static let cells = 4_096
        let lowest: Double
        let scale: Double
        /// `below[c]`: the points below the start of cell `c`; `below[cells]` is all of them.
        let below: [Int]

        init(_ points: [Double]) {
            lowest = points.first ?? 0
            let span = (points.last ?? 0) - lowest
            scale = span > 0 && span.isFinite ? Double(Self.cells) / span : 0
            var below = [Int](repeating: points.count, count: Self.cells + 1)
            var index = 0
            for cell in 0..<Self.cells where scale > 0 {
                let start = lowest + Double(cell) / scale
                while index < points.count, points[index] < start { index += 1 }
                below[cell] = index
            }
            if scale == 0 { below[0] = 0 }
            self.below = below
        }

        /// Bounds of the number of points below `value`: one cell either side of its own, against rounding.
        func range(of value: Double) -> (Int, Int) {
            guard scale > 0 else { return (0, below[Self.cells]) }
            let position = (value - lowest) * scale
            let cell = position < 0 ? 0 : (position >= Double(Self.cells) ? Self.cells - 1 : Int(position))
            return (below[max(cell - 1, 0)], below[min(cell + 2, Self.cells)])
        }
    }
}
