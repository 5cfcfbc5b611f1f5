import Foundation

/// A confusion matrix as an SVG heat map: rows are the true classes, columns the predicted ones, each cell
/// shaded by its count relative to the largest and labelled with the count.
struct HeatMap {
    var title: String
    var labels: [String]
    /// `cells[true][predicted]`.
    var cells: [[Double]]

    func svg() -> String {
        let count = labels.count
        let cell = count <= 12 ? 32.0 : max(12, 384 / Double(count))
        let longest = labels.map(\.count).max() ?? 1
        let margin = min(12 + 8 * Double(longest), 150) + 18
        let top = margin + 6
        let size = cell * Double(count)
        let width = margin + size + 12
        let height = top + size + 12
        let largest = cells.flatMap { $0 }.filter(\.isFinite).max() ?? 0
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" \
            width="\(Int(width))" height="\(Int(height))" role="img" aria-label="\(HTML.escape(title))">
            <title>\(HTML.escape(title))</title>
            <text x="\(margin + size / 2)" y="12" text-anchor="middle">predicted</text>
            <text transform="translate(12 \(top + size / 2)) rotate(-90)" text-anchor="middle">true</text>

            """
        for (index, label) in labels.enumerated() {
            let centre = Double(index) * cell + cell / 2
            let text = HTML.escape(label)
            out += "<text x=\"\(margin - 6)\" y=\"\(LineChart.format(top + centre))\" dy=\"0.32em\" "
            out += "text-anchor=\"end\">\(text)</text>"
            out += "<text transform=\"translate(\(LineChart.format(margin + centre)) \(top - 6)) rotate(-90)\">"
            out += "\(text)</text>\n"
        }
        for (row, values) in cells.enumerated() where row < count {
            for (column, value) in values.enumerated() where column < count {
                let x = LineChart.format(margin + Double(column) * cell)
                let y = LineChart.format(top + Double(row) * cell)
                let share = largest > 0 && value.isFinite ? value / largest : 0
                let tip = "true \(labels[row]), predicted \(labels[column]): \(Format.number(value))"
                if value > 0 {
                    out += "<rect class=\"cell\" x=\"\(x)\" y=\"\(y)\" width=\"\(cell)\" height=\"\(cell)\" "
                    out += "fill-opacity=\"\(String(format: "%.3f", 0.08 + 0.92 * share))\">"
                } else {
                    out += "<rect class=\"cell-empty\" x=\"\(x)\" y=\"\(y)\" width=\"\(cell)\" height=\"\(cell)\">"
                }
                out += "<title>\(HTML.escape(tip))</title></rect>"
                if cell >= 18 && value != 0 {
                    let strong = share > 0.55 ? " strong" : ""
                    out +=
                        "<text class=\"count\(strong)\" x=\"\(LineChart.format(margin + (Double(column) + 0.5) * cell))\" "
                    out += "y=\"\(LineChart.format(top + (Double(row) + 0.5) * cell))\" dy=\"0.32em\" "
                    out += "text-anchor=\"middle\">\(Format.number(value))</text>"
                }
                out += "\n"
            }
        }
        out += "<rect class=\"frame\" x=\"\(margin)\" y=\"\(top)\" width=\"\(size)\" height=\"\(size)\"/>\n</svg>"
        return out
    }
}
