import Foundation
import Runs

/// An SVG line chart of one or more series over a shared index (epochs, iterations), with labelled axes and
/// ticks. Colours and dashes come from the stylesheet (`.s0`…, `.dashed`), so that they follow light, dark
/// and print; a long series is reduced to the lowest and highest point of each pixel column first.
///
/// The geometry leaves room for text drawn at `textRoom` units, the size the stylesheet gives a chart
/// squeezed onto a phone (it sizes text by the figure's width, so that it reads at 11 px or more on any
/// screen); a series of positive values spanning more than two decades (a loss) is drawn on a log scale;
/// each index carries its values in a `<title>`, shown on hover without any script.
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
    var palette = 10
    /// Whether the legend is drawn in the chart; a page with many lines puts it beside the chart instead
    /// (`legendHTML`).
    var showsLegend = true

    static let width = 640.0
    static let height = 300.0
    /// The largest text size (in the chart's units) the stylesheet uses, which margins are measured for.
    static let textRoom = 21.0
    /// An average glyph's width for digits and Latin text, as a share of the text size.
    static let glyph = 0.6
    /// Hover bands at most: one per index up to this, then one per a few pixels.
    static let bands = 160
    private static let right = 18.0
    private static let top = 40.0
    private static let bottom = 64.0

    /// Whether the values are drawn on a log scale: all positive and spanning more than two decades.
    static func logarithmic(_ values: [Double]) -> Bool {
        guard let low = values.min(), let high = values.max(), low > 0 else { return false }
        return high / low > 100
    }

    /// The chart as an `<svg>` element; every text in it is escaped.
    func svg() -> String {
        let finite = lines.map { line in
            Line(name: line.name, points: line.points.filter { $0.value.isFinite }, dashed: line.dashed)
        }
        let all = finite.flatMap(\.points)
        let log = Self.logarithmic(all.map(\.value))
        let yTicks = log ? Ticks.decades(all.map(\.value)) : Ticks.nice(all.map(\.value), count: 5)
        let left = 12 + Self.textRoom * (1.2 + Self.glyph * Double(yTicks.labels.map(\.count).max() ?? 1))
        let plotWidth = Self.width - left - Self.right
        let plotHeight = Self.height - Self.top - Self.bottom
        let name = HTML.escape(title)
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(Self.width)) \(Int(Self.height))" \
            width="\(Int(Self.width))" height="\(Int(Self.height))" role="img" aria-label="\(name)">
            <title>\(name)</title>
            <text class="title" x="\(Self.format(left))" y="24">\(name)</text>

            """
        guard let minX = all.map(\.index).min(), let maxX = all.map(\.index).max(),
            let y0 = yTicks.values.first, let y1 = yTicks.values.last
        else {
            out += "<text x=\"\(Self.format(left))\" y=\"\(Self.top + 30)\">no finite values</text>\n</svg>"
            return out
        }
        let xTicks = Ticks.nice(Double(minX), Double(maxX), count: 5, integral: true)
        let x0 = min(Double(minX), xTicks.first ?? Double(minX))
        let x1 = max(Double(maxX), xTicks.last ?? Double(maxX))
        func position(_ y: Double) -> Double { log ? log10(y) : y }
        func px(_ x: Double) -> Double { left + (x1 > x0 ? (x - x0) / (x1 - x0) : 0.5) * plotWidth }
        func py(_ y: Double) -> Double {
            let (low, high) = (position(y0), position(y1))
            return Self.top + plotHeight - (high > low ? (position(y) - low) / (high - low) : 0.5) * plotHeight
        }
        let bottom = Self.top + plotHeight
        for (tick, label) in zip(yTicks.values, yTicks.labels) {
            let y = Self.format(py(tick))
            out += "<line class=\"grid\" x1=\"\(Self.format(left))\" x2=\"\(Self.format(left + plotWidth))\" "
            out += "y1=\"\(y)\" y2=\"\(y)\"/><text x=\"\(Self.format(left - 6))\" y=\"\(y)\" dy=\"0.32em\" "
            out += "text-anchor=\"end\">\(label)</text>\n"
        }
        for tick in xTicks.values {
            let x = Self.format(px(tick))
            out += "<line class=\"axis\" x1=\"\(x)\" x2=\"\(x)\" y1=\"\(bottom)\" y2=\"\(bottom + 4)\"/>"
            out += "<text x=\"\(x)\" y=\"\(Self.format(bottom + 6))\" dy=\"1em\" text-anchor=\"middle\">"
            out += "\(Ticks.label(tick, step: 1))</text>\n"
        }
        let yName = HTML.escape(yLabel + (log ? " (log scale)" : ""))
        out += """
            <line class="axis" x1="\(Self.format(left))" x2="\(Self.format(left + plotWidth))" y1="\(bottom)" \
            y2="\(bottom)"/>
            <line class="axis" x1="\(Self.format(left))" x2="\(Self.format(left))" y1="\(Self.top)" y2="\(bottom)"/>
            <text x="\(Self.format(left + plotWidth / 2))" y="\(Self.format(bottom + 8))" dy="2.3em" \
            text-anchor="middle">\
            \(HTML.escape(xLabel))</text>
            <text transform="translate(6 \(Self.format(Self.top + plotHeight / 2))) rotate(-90)" dy="0.8em" \
            text-anchor="middle">\(yName)</text>

            """
        let columns = Int(plotWidth)
        for (number, line) in finite.enumerated() where !line.points.isEmpty {
            let drawn = Downsample.minMax(line.points, columns: columns)
            let path = drawn.enumerated().map { offset, point in
                "\(offset == 0 ? "M" : "L")\(Self.format(px(Double(point.index)))) \(Self.format(py(point.value)))"
            }.joined(separator: " ")
            out +=
                "<path class=\"\(style(number, line))\" d=\"\(path)\"><title>\(HTML.escape(line.name))</title></path>\n"
        }
        out += hoverBands(finite, x0: x0, x1: x1, px: px, top: Self.top, height: plotHeight)
        if showsLegend { out += legend(finite, right: left + plotWidth) }
        out += "</svg>"
        return out
    }

    /// The legend as HTML, for a figure that shows it under the chart: a swatch of each line and its name.
    func legendHTML() -> String {
        var out = "<ul class=\"legend\">"
        for (number, line) in lines.enumerated() {
            out += "<li><svg class=\"swatch\" viewBox=\"0 0 24 10\" width=\"24\" height=\"10\" aria-hidden=\"true\">"
            out += "<line class=\"\(style(number, line))\" x1=\"1\" x2=\"23\" y1=\"5\" y2=\"5\"/></svg>"
            out += "<code>\(HTML.escape(line.name))</code></li>"
        }
        return out + "</ul>"
    }

    private func style(_ number: Int, _ line: Line) -> String {
        "line s\(number % palette)\(line.dashed ? " dashed" : "")"
    }

    /// Vertical bands over the plot, one per index (or per few pixels of a long series), each titled with
    /// the index and every line's value there: a reader hovering anywhere above an epoch reads its numbers.
    private func hoverBands(
        _ lines: [Line], x0: Double, x1: Double, px: (Double) -> Double, top: Double, height: Double
    ) -> String {
        let indices = Array(Set(lines.flatMap { $0.points.map(\.index) })).sorted()
        guard !indices.isEmpty else { return "" }
        // Long series: the index nearest each of `bands` evenly spaced places stands for its band.
        let chosen: [Int]
        if indices.count <= Self.bands {
            chosen = indices
        } else {
            chosen = (0..<Self.bands).map { band in
                indices[Int((Double(band) + 0.5) / Double(Self.bands) * Double(indices.count))]
            }
        }
        let values = lines.map { line in Dictionary(line.points.map { ($0.index, $0.value) }) { _, last in last } }
        var out = "<g class=\"hover\">"
        for (offset, index) in chosen.enumerated() {
            let here = px(Double(index))
            let before = offset == 0 ? px(x0) : (px(Double(chosen[offset - 1])) + here) / 2
            let after = offset == chosen.count - 1 ? px(x1) : (here + px(Double(chosen[offset + 1]))) / 2
            let readings = zip(lines, values).compactMap { line, values in
                values[index].map { "\(line.name) \(Format.number($0))" }
            }
            let tip = "\(xLabel) \(index): " + readings.joined(separator: ", ")
            out += "<rect x=\"\(Self.format(before))\" y=\"\(Self.format(top))\" "
            out += "width=\"\(Self.format(max(after - before, 0.5)))\" height=\"\(Self.format(height))\">"
            out += "<title>\(HTML.escape(tip))</title></rect>\n"
        }
        return out + "</g>\n"
    }

    /// The legend, top right, one entry per line.
    private func legend(_ lines: [Line], right: Double) -> String {
        var out = ""
        var x = right
        for (number, line) in lines.enumerated().reversed() {
            x -= 30 + Self.textRoom * Self.glyph * Double(line.name.count)
            out += "<line class=\"\(style(number, line))\" x1=\"\(Self.format(x))\" x2=\"\(Self.format(x + 20))\" "
            out += "y1=\"18\" y2=\"18\"/><text x=\"\(Self.format(x + 24))\" y=\"18\" dy=\"0.32em\">"
            out += "\(HTML.escape(line.name))</text>\n"
        }
        return out
    }

    static func format(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
