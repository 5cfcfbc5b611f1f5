import Foundation

/// An SVG chart of a ROC or precision–recall curve: both axes run from 0 to 1, the curve is a line in the
/// first series colour and, for a ROC curve, the diagonal of a classifier that guesses is dashed under it.
/// Sizes and margins follow `LineChart`, so that text reads as well on a phone and the look is the same.
struct CurveChart {
    var title: String
    var xLabel: String
    var yLabel: String
    /// The points in the order they were recorded; those outside [0, 1] or not finite are left out.
    var x: [Double]
    var y: [Double]
    /// Whether to draw the line from (0, 0) to (1, 1), which a random ranking follows on a ROC curve.
    var diagonal: Bool

    private static let top = 40.0
    private static let bottom = 64.0
    private static let right = 18.0

    /// The chart as an `<svg>` element; every text in it is escaped.
    func svg() -> String {
        let width = LineChart.width
        let height = LineChart.height
        let ticks = Ticks(
            values: [0, 0.2, 0.4, 0.6, 0.8, 1], step: 0.2, labels: ["0", "0.2", "0.4", "0.6", "0.8", "1"])
        let left = 12 + LineChart.textRoom * (1.2 + LineChart.glyph * 3)
        let plotWidth = width - left - Self.right
        let plotHeight = height - Self.top - Self.bottom
        let bottom = Self.top + plotHeight
        let format = LineChart.format
        func px(_ value: Double) -> Double { left + value * plotWidth }
        func py(_ value: Double) -> Double { bottom - value * plotHeight }
        let name = HTML.escape(title)
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" \
            width="\(Int(width))" height="\(Int(height))" role="img" aria-label="\(name)">
            <title>\(name)</title>
            <text class="title" x="\(format(left))" y="24">\(name)</text>

            """
        for (tick, label) in zip(ticks.values, ticks.labels) {
            let y = format(py(tick))
            let x = format(px(tick))
            out += "<line class=\"grid\" x1=\"\(format(left))\" x2=\"\(format(left + plotWidth))\" "
            out += "y1=\"\(y)\" y2=\"\(y)\"/><text x=\"\(format(left - 6))\" y=\"\(y)\" dy=\"0.32em\" "
            out += "text-anchor=\"end\">\(label)</text>"
            out += "<line class=\"axis\" x1=\"\(x)\" x2=\"\(x)\" y1=\"\(bottom)\" y2=\"\(bottom + 4)\"/>"
            out += "<text x=\"\(x)\" y=\"\(format(bottom + 6))\" dy=\"1em\" text-anchor=\"middle\">\(label)</text>\n"
        }
        out += """
            <line class="axis" x1="\(format(left))" x2="\(format(left + plotWidth))" y1="\(bottom)" y2="\(bottom)"/>
            <line class="axis" x1="\(format(left))" x2="\(format(left))" y1="\(Self.top)" y2="\(bottom)"/>
            <text x="\(format(left + plotWidth / 2))" y="\(format(bottom + 8))" dy="2.3em" text-anchor="middle">\
            \(HTML.escape(xLabel))</text>
            <text transform="translate(6 \(format(Self.top + plotHeight / 2))) rotate(-90)" dy="0.8em" \
            text-anchor="middle">\(HTML.escape(yLabel))</text>

            """
        if diagonal {
            out += "<line class=\"line s3 dashed\" x1=\"\(format(px(0)))\" y1=\"\(format(py(0)))\" "
            out += "x2=\"\(format(px(1)))\" y2=\"\(format(py(1)))\"><title>chance</title></line>\n"
        }
        let points = zip(x, y).filter { $0.isFinite && $1.isFinite && (0...1).contains($0) && (0...1).contains($1) }
        if points.isEmpty {
            out += "<text x=\"\(format(left + 12))\" y=\"\(Self.top + 30)\">no points</text>\n"
        } else {
            let path = points.enumerated().map { offset, point in
                "\(offset == 0 ? "M" : "L")\(format(px(point.0))) \(format(py(point.1)))"
            }.joined(separator: " ")
            out += "<path class=\"line s0\" d=\"\(path)\"><title>\(name)</title></path>\n"
        }
        return out + "</svg>"
    }
}
