import Foundation

/// A horizontal SVG bar chart of named values, largest first (a model's feature importances): a row per
/// name, its bar's length proportional to its value, the value written after the bar. Long names are cut
/// to fit and given whole in the row's `<title>`; rows are tall enough for text drawn at
/// `LineChart.textRoom`, the size a phone's narrow figure uses.
struct BarChart {
    struct Bar {
        var name: String
        var value: Double
    }

    var title: String
    var bars: [Bar]

    /// The longest name drawn, in characters, before it is cut with an ellipsis.
    static let longestName = 22
    private static let row = 30.0
    private static let top = 40.0
    private static let bottom = 12.0

    static func shortened(_ name: String) -> String {
        name.count > longestName ? String(name.prefix(longestName - 1)) + "…" : name
    }

    /// The chart as an `<svg>` element; every text in it is escaped.
    func svg() -> String {
        let width = LineChart.width
        let drawn = bars.filter { $0.value.isFinite }
        let height = Self.top + Self.row * Double(max(drawn.count, 1)) + Self.bottom
        let longest = drawn.map { Self.shortened($0.name).count }.max() ?? 1
        let left = 12 + LineChart.textRoom * LineChart.glyph * Double(longest)
        let labels = drawn.map { Format.number($0.value) }
        let valueRoom = 12 + LineChart.textRoom * LineChart.glyph * Double(labels.map(\.count).max() ?? 1)
        let plotWidth = max(width - left - valueRoom, 40)
        let largest = drawn.map(\.value).max() ?? 0
        let format = LineChart.format
        let name = HTML.escape(title)
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" \
            width="\(Int(width))" height="\(Int(height))" role="img" aria-label="\(name)">
            <title>\(name)</title>
            <text class="title" x="6" y="24">\(name)</text>

            """
        guard !drawn.isEmpty else {
            return out + "<text x=\"6\" y=\"\(Self.top + 16)\">no values</text>\n</svg>"
        }
        for (index, bar) in drawn.enumerated() {
            let y = Self.top + Self.row * Double(index)
            let middle = format(y + Self.row / 2)
            let length = largest > 0 ? max(bar.value, 0) / largest * plotWidth : 0
            out += "<g><title>\(HTML.escape("\(bar.name): \(Format.exact(bar.value))"))</title>"
            out += "<text x=\"\(format(left - 6))\" y=\"\(middle)\" dy=\"0.32em\" text-anchor=\"end\">"
            out += "\(HTML.escape(Self.shortened(bar.name)))</text>"
            out += "<rect class=\"bar\" x=\"\(format(left))\" y=\"\(format(y + 5))\" width=\"\(format(length))\" "
            out += "height=\"\(format(Self.row - 10))\"/>"
            out +=
                "<text x=\"\(format(left + length + 6))\" y=\"\(middle)\" dy=\"0.32em\">\(labels[index])</text></g>\n"
        }
        let axisBottom = Self.top + Self.row * Double(drawn.count)
        out += "<line class=\"axis\" x1=\"\(format(left))\" x2=\"\(format(left))\" y1=\"\(Self.top)\" "
        out += "y2=\"\(format(axisBottom))\"/>\n"
        return out + "</svg>"
    }
}
