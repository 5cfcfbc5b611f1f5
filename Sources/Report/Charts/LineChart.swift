import Foundation
import Runs

/// An SVG line chart of one or more series over a shared index (epochs, steps), with labelled axes and
/// ticks. Colours and dashes come from the stylesheet (`.s0`…, `.dashed`), so that they follow light, dark
/// and print; a long series is reduced to the lowest and highest point of each pixel column first.
struct LineChart {
    struct Line {
        var name: String
        var points: [RecordedPoint]
        var dashed: Bool
    }

    var title: String
    var xLabel: String
    var yLabel: String
    var lines: [Line]
    /// How many colours the lines cycle through (`.s0`… in the stylesheet).
    var palette = 4
    /// Whether the legend is drawn in the chart; a page with many lines puts it beside the chart instead.
    var showsLegend = true

    static let width = 640.0
    static let height = 260.0
    private static let left = 58.0
    private static let right = 16.0
    private static let top = 30.0
    private static let bottom = 44.0

    private var plotWidth: Double { Self.width - Self.left - Self.right }
    private var plotHeight: Double { Self.height - Self.top - Self.bottom }

    /// The chart as an `<svg>` element; every text in it is escaped.
    func svg() -> String {
        let drawn = lines.map { line in
            Line(
                name: line.name,
                points: Downsample.minMax(line.points.filter { $0.value.isFinite }, columns: Int(plotWidth)),
                dashed: line.dashed)
        }
        let all = drawn.flatMap(\.points)
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(Self.width)) \(Int(Self.height))" \
            width="\(Int(Self.width))" height="\(Int(Self.height))" role="img" aria-label="\(HTML.escape(title))">
            <title>\(HTML.escape(title))</title>
            <text class="title" x="\(Self.left)" y="16">\(HTML.escape(title))</text>

            """
        guard let minX = all.map(\.index).min(), let maxX = all.map(\.index).max(),
            let minY = all.map(\.value).min(), let maxY = all.map(\.value).max()
        else {
            out += "<text x=\"\(Self.left)\" y=\"\(Self.top + 20)\">no finite values</text>\n</svg>"
            return out
        }
        let xTicks = Ticks.nice(Double(minX), Double(maxX), count: 6, integral: true)
        let yTicks = Ticks.nice(minY, maxY, count: 5, integral: false)
        let x0 = min(Double(minX), xTicks.first ?? Double(minX))
        let x1 = max(Double(maxX), xTicks.last ?? Double(maxX))
        let y0 = min(minY, yTicks.first ?? minY)
        let y1 = max(maxY, yTicks.last ?? maxY)
        func px(_ x: Double) -> Double { Self.left + (x1 > x0 ? (x - x0) / (x1 - x0) : 0.5) * plotWidth }
        func py(_ y: Double) -> Double { Self.top + plotHeight - (y1 > y0 ? (y - y0) / (y1 - y0) : 0.5) * plotHeight }

        for tick in yTicks.values {
            let y = Self.format(py(tick))
            out += "<line class=\"grid\" x1=\"\(Self.left)\" x2=\"\(Self.left + plotWidth)\" y1=\"\(y)\" y2=\"\(y)\"/>"
            out += "<text x=\"\(Self.left - 6)\" y=\"\(y)\" dy=\"0.32em\" text-anchor=\"end\">"
            out += "\(Ticks.label(tick, step: yTicks.step))</text>\n"
        }
        for tick in xTicks.values {
            let x = Self.format(px(tick))
            let bottom = Self.top + plotHeight
            out += "<line class=\"axis\" x1=\"\(x)\" x2=\"\(x)\" y1=\"\(bottom)\" y2=\"\(bottom + 4)\"/>"
            out += "<text x=\"\(x)\" y=\"\(bottom + 16)\" text-anchor=\"middle\">\(Ticks.label(tick, step: 1))</text>\n"
        }
        out += """
            <line class="axis" x1="\(Self.left)" x2="\(Self.left + plotWidth)" y1="\(Self.top + plotHeight)" \
            y2="\(Self.top + plotHeight)"/>
            <line class="axis" x1="\(Self.left)" x2="\(Self.left)" y1="\(Self.top)" y2="\(Self.top + plotHeight)"/>
            <text x="\(Self.left + plotWidth / 2)" y="\(Self.height - 6)" text-anchor="middle">\(HTML.escape(xLabel))</text>
            <text transform="translate(13 \(Self.top + plotHeight / 2)) rotate(-90)" text-anchor="middle">\
            \(HTML.escape(yLabel))</text>

            """
        for (number, line) in drawn.enumerated() where !line.points.isEmpty {
            let path = line.points.enumerated().map { offset, point in
                "\(offset == 0 ? "M" : "L")\(Self.format(px(Double(point.index)))) \(Self.format(py(point.value)))"
            }.joined(separator: " ")
            let style = "line s\(number % palette)\(line.dashed ? " dashed" : "")"
            out += "<path class=\"\(style)\" d=\"\(path)\"><title>\(HTML.escape(line.name))</title></path>\n"
        }
        // The legend, top right, one entry per line.
        var legendX = Self.left + plotWidth
        for (number, line) in drawn.enumerated().reversed() where showsLegend {
            let label = HTML.escape(line.name)
            let width = 30 + 6.5 * Double(line.name.count)
            legendX -= width
            let style = "line s\(number % palette)\(line.dashed ? " dashed" : "")"
            out += "<line class=\"\(style)\" x1=\"\(Self.format(legendX))\" x2=\"\(Self.format(legendX + 20))\" "
            out += "y1=\"12\" y2=\"12\"/><text x=\"\(Self.format(legendX + 24))\" y=\"16\">\(label)</text>\n"
        }
        out += "</svg>"
        return out
    }

    static func format(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}

/// Axis ticks at round numbers (1, 2 or 5 times a power of ten), as plotting libraries place them.
struct Ticks {
    var values: [Double]
    var step: Double

    var first: Double? { values.first }
    var last: Double? { values.last }

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

    /// A tick's label with as many decimals as the step needs.
    static func label(_ value: Double, step: Double) -> String {
        let decimals = step >= 1 ? 0 : min(Int(ceil(-log10(step))), 8)
        let text = String(format: "%.\(decimals)f", value)
        return text == "-0" ? "0" : text
    }
}
