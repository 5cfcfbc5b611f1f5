import Foundation

/// Axis ticks at round numbers (1, 2 or 5 times a power of ten), as plotting libraries place them, or at
/// powers of ten for a log scale, with the labels they read.
struct Ticks {
    var values: [Double]
    var step: Double
    var labels: [String]

    var first: Double? { values.first }
    var last: Double? { values.last }

    init(values: [Double], step: Double, labels: [String]? = nil) {
        self.values = values
        self.step = step
        self.labels = labels ?? values.map { Ticks.label($0, step: step) }
    }

    /// Round ticks covering `values`; none for no values.
    static func nice(_ values: [Double], count: Int) -> Ticks {
        guard let low = values.min(), let high = values.max() else { return Ticks(values: [], step: 1) }
        return nice(low, high, count: count, integral: false)
    }

    static func nice(_ low: Double, _ high: Double, count: Int, integral: Bool) -> Ticks {
        guard low.isFinite, high.isFinite else { return Ticks(values: [], step: 1) }
        if high <= low {
            let value = low
            return Ticks(values: [value], step: max(abs(value), 1))
        }
        let raw = (high - low) / Double(max(count - 1, 1))
        let magnitude = pow(10, floor(log10(raw)))
        let fraction = raw / magnitude
        // As d3 chooses: the round step nearest the raw one on a log scale.
        var step = (fraction >= 7.07 ? 10 : fraction >= 3.16 ? 5 : fraction >= 1.41 ? 2 : 1) * magnitude
        if integral { step = max(step.rounded(), 1) }
        let start = floor(low / step) * step
        var values: [Double] = []
        var value = start
        while value <= high + step * 1e-9 && values.count < 50 {
            values.append(value)
            value += step
        }
        if let last = values.last, last < high { values.append(last + step) }
        return Ticks(values: values, step: step)
    }

    /// Powers of ten from below the smallest of `values` (all positive) to above the largest, every
    /// decade or, over a wide range, every few, so that at most eight ticks stand on the axis.
    static func decades(_ values: [Double]) -> Ticks {
        guard let low = values.min(), let high = values.max(), low > 0, high.isFinite else {
            return Ticks(values: [], step: 1)
        }
        let first = Int(floor(log10(low)))
        let last = max(Int(ceil(log10(high))), first + 1)
        let every = max(1, Int((Double(last - first) / 7).rounded(.up)))
        var exponents = Array(stride(from: first, through: last, by: every))
        if let top = exponents.last, top < last { exponents.append(top + every) }
        return Ticks(
            values: exponents.map { pow(10, Double($0)) }, step: Double(every), labels: exponents.map(decadeLabel))
    }

    /// `0.001`, `1`, `1000` for a power of ten a reader takes in at a glance, `1e-7` and `1e+06` beyond.
    static func decadeLabel(_ exponent: Int) -> String {
        switch exponent {
        case -4 ... -1: return "0." + String(repeating: "0", count: -exponent - 1) + "1"
        case 0...4: return "1" + String(repeating: "0", count: exponent)
        default: return "1e" + (exponent < 0 ? "-" : "+") + String(format: "%02d", abs(exponent))
        }
    }

    /// A tick's label with as many decimals as the step needs.
    static func label(_ value: Double, step: Double) -> String {
        let decimals = step >= 1 ? 0 : min(Int(ceil(-log10(step))), 8)
        let text = String(format: "%.\(decimals)f", value)
        return text == "-0" ? "0" : text
    }
}
