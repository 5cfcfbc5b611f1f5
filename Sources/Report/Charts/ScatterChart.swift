import Foundation

/// An SVG chart of a value (a sweep's objective) against one parameter: a marker per run, the runs that share
/// the other parameters joined by a line, ticks at the parameter's values. The x axis is linear, logarithmic
/// (for log-spaced values) or a row of categories (for text, booleans and lists).
struct ScatterChart {
    enum Scale: Equatable {
        case linear
        case logarithmic
        /// Evenly spaced values in this order; a point's x is the index of its value.
        case categories
    }

    struct Point {
        var x: Double
        var y: Double
        /// The tooltip: which run, at which values.
        var label: String
        var best = false
    }

    struct Group {
        var name: String
        var points: [Point]
    }

    var title: String
    var xLabel: String
    var yLabel: String
    var scale: Scale
    /// Where the x ticks stand (for categories: 0, 1, 2…) and what they read.
    var ticks: [(x: Double, label: String)]
    var groups: [Group]
    var palette = 8

    static let width = 640.0
    static let height = 280.0
    private static let left = 64.0
    private static let right = 24.0
    private static let top = 30.0
    private static let bottom = 44.0

    private var plotWidth: Double { Self.width - Self.left - Self.right }
    private var plotHeight: Double { Self.height - Self.top - Self.bottom }

    /// Where `x` lies along the axis before scaling to pixels.
    private func position(_ x: Double) -> Double {
        scale == .logarithmic ? log10(x) : x
    }

    /// The chart as an `<svg>` element; every text in it is escaped.
    func svg() -> String {
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(Self.width)) \(Int(Self.height))" \
            width="\(Int(Self.width))" height="\(Int(Self.height))" role="img" aria-label="\(HTML.escape(title))">
            <title>\(HTML.escape(title))</title>
            <text class="title" x="\(Self.left)" y="16">\(HTML.escape(title))</text>

            """
        let points = groups.flatMap(\.points).filter {
            $0.y.isFinite && $0.x.isFinite && (scale != .logarithmic || $0.x > 0)
        }
        let xs = (points.map(\.x) + ticks.map(\.x)).filter { scale != .logarithmic || $0.isFinite && $0 > 0 }
        guard let minY = points.map(\.y).min(), let maxY = points.map(\.y).max(), let minX = xs.min(),
            let maxX = xs.max()
        else {
            out += "<text x=\"\(Self.left)\" y=\"\(Self.top + 20)\">no finite values</text>\n</svg>"
            return out
        }
        let low = position(minX)
        let high = position(maxX)
        // Half a step of room at each end, so that the first and last markers stand clear of the frame.
        let pad = high > low ? (high - low) * (scale == .categories ? 0.5 / max(Double(ticks.count - 1), 1) : 0.06) : 1
        let x0 = low - pad
        let x1 = high + pad
        let yTicks = Ticks.nice(minY, maxY, count: 5, integral: false)
        let y0 = min(minY, yTicks.first ?? minY)
        let y1 = max(maxY, yTicks.last ?? maxY)
        func px(_ x: Double) -> Double { Self.left + (position(x) - x0) / (x1 - x0) * plotWidth }
        func py(_ y: Double) -> Double { Self.top + plotHeight - (y1 > y0 ? (y - y0) / (y1 - y0) : 0.5) * plotHeight }
        let format = LineChart.format

        for tick in yTicks.values {
            let y = format(py(tick))
            out += "<line class=\"grid\" x1=\"\(Self.left)\" x2=\"\(Self.left + plotWidth)\" y1=\"\(y)\" y2=\"\(y)\"/>"
            out += "<text x=\"\(Self.left - 6)\" y=\"\(y)\" dy=\"0.32em\" text-anchor=\"end\">"
            out += "\(Ticks.label(tick, step: yTicks.step))</text>\n"
        }
        let bottom = Self.top + plotHeight
        // At most about ten labels: a long row of values would overprint.
        let every = max(1, Int((Double(ticks.count) / 10).rounded(.up)))
        for (offset, tick) in ticks.enumerated() where scale != .logarithmic || tick.x > 0 {
            let x = format(px(tick.x))
            out += "<line class=\"axis\" x1=\"\(x)\" x2=\"\(x)\" y1=\"\(bottom)\" y2=\"\(bottom + 4)\"/>"
            if offset % every == 0 {
                out += "<text x=\"\(x)\" y=\"\(bottom + 16)\" text-anchor=\"middle\">\(HTML.escape(tick.label))</text>"
            }
            out += "\n"
        }
        let axisName = xLabel + (scale == .logarithmic ? " (log scale)" : "")
        out += """
            <line class="axis" x1="\(Self.left)" x2="\(Self.left + plotWidth)" y1="\(bottom)" y2="\(bottom)"/>
            <line class="axis" x1="\(Self.left)" x2="\(Self.left)" y1="\(Self.top)" y2="\(bottom)"/>
            <text x="\(Self.left + plotWidth / 2)" y="\(Self.height - 6)" text-anchor="middle">\(HTML.escape(axisName))</text>
            <text transform="translate(13 \(Self.top + plotHeight / 2)) rotate(-90)" text-anchor="middle">\
            \(HTML.escape(yLabel))</text>

            """
        for (number, group) in groups.enumerated() {
            let drawn = group.points.filter {
                $0.y.isFinite && $0.x.isFinite && (scale != .logarithmic || $0.x > 0)
            }.sorted { $0.x < $1.x }
            let style = "s\(number % palette)"
            if drawn.count > 1 {
                let path = drawn.enumerated().map { offset, point in
                    "\(offset == 0 ? "M" : "L")\(format(px(point.x))) \(format(py(point.y)))"
                }.joined(separator: " ")
                out += "<path class=\"line \(style)\" d=\"\(path)\"><title>\(HTML.escape(group.name))</title></path>\n"
            }
            for point in drawn {
                let cx = format(px(point.x))
                let cy = format(py(point.y))
                if point.best {
                    out += "<circle class=\"best-ring\" cx=\"\(cx)\" cy=\"\(cy)\" r=\"8.5\"/>"
                }
                out += "<circle class=\"point \(style)\" cx=\"\(cx)\" cy=\"\(cy)\" r=\"4\">"
                out += "<title>\(HTML.escape(point.label))</title></circle>\n"
            }
        }
        out += "</svg>"
        return out
    }
}
