import Drift
import Foundation

/// Two distributions over the same bins as a horizontal SVG bar chart: a row per bin, the training share's bar
/// above the new data's, each with its share and rows in a `<title>`. Past `mostRows` bins, the rest are drawn
/// as one row.
struct DistributionChart {
    var title: String
    var bins: [FeatureDrift.Bin]

    static let mostRows = 24
    private static let row = 34.0
    private static let top = 58.0
    private static let bottom = 12.0

    /// The bins drawn: the first `mostRows − 1` and the rest merged, keeping the last (`missing`) apart.
    var drawn: [FeatureDrift.Bin] {
        guard bins.count > Self.mostRows, let last = bins.last else { return bins }
        let kept = bins.prefix(Self.mostRows - 2)
        let rest = bins.dropFirst(Self.mostRows - 2).dropLast()
        let merged = FeatureDrift.Bin(
            label: "\(rest.count) more", training: rest.reduce(0) { $0 + $1.training },
            new: rest.reduce(0) { $0 + $1.new })
        return Array(kept) + [merged, last]
    }

    func svg() -> String {
        let rows = drawn
        let width = LineChart.width
        let height = Self.top + Self.row * Double(max(rows.count, 1)) + Self.bottom
        let trainingTotal = Double(max(bins.reduce(0) { $0 + $1.training }, 1))
        let newTotal = Double(max(bins.reduce(0) { $0 + $1.new }, 1))
        let shares = rows.map { (Double($0.training) / trainingTotal, Double($0.new) / newTotal) }
        let longest = rows.map { BarChart.shortened($0.label).count }.max() ?? 1
        let left = 12 + LineChart.textRoom * LineChart.glyph * Double(longest)
        let valueRoom = 12 + LineChart.textRoom * LineChart.glyph * 6
        let plotWidth = max(width - left - valueRoom, 40)
        let largest = max(shares.map { max($0.0, $0.1) }.max() ?? 0, 1e-12)
        let format = LineChart.format
        let name = HTML.escape(title)
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" \
            width="\(Int(width))" height="\(Int(height))" role="img" aria-label="\(name)">
            <title>\(name)</title>
            <text class="title" x="6" y="22">\(name)</text>
            <rect class="bar training" x="6" y="34" width="12" height="8"/><text x="22" y="42">training</text>
            <rect class="bar new" x="96" y="34" width="12" height="8"/><text x="112" y="42">new data</text>

            """
        for (index, bin) in rows.enumerated() {
            let y = Self.top + Self.row * Double(index)
            let (training, new) = shares[index]
            let hover =
                "\(bin.label): training \(percent(training)) (\(bin.training) rows), "
                + "new \(percent(new)) (\(bin.new) rows)"
            out += "<g><title>\(HTML.escape(hover))</title>"
            out += "<text x=\"\(format(left - 6))\" y=\"\(format(y + Self.row / 2))\" dy=\"0.32em\" "
            out += "text-anchor=\"end\">\(HTML.escape(BarChart.shortened(bin.label)))</text>"
            for (offset, share, kind) in [(4.0, training, "training"), (17.0, new, "new")] {
                let length = share / largest * plotWidth
                out += "<rect class=\"bar \(kind)\" x=\"\(format(left))\" y=\"\(format(y + offset))\" "
                out += "width=\"\(format(length))\" height=\"12\"/>"
                out += "<text x=\"\(format(left + length + 6))\" y=\"\(format(y + offset + 6))\" dy=\"0.32em\">"
                out += "\(percent(share))</text>"
            }
            out += "</g>\n"
        }
        let axisBottom = Self.top + Self.row * Double(rows.count)
        out += "<line class=\"axis\" x1=\"\(format(left))\" x2=\"\(format(left))\" y1=\"\(Self.top)\" "
        out += "y2=\"\(format(axisBottom))\"/>\n"
        return out + "</svg>"
    }

    private func percent(_ share: Double) -> String {
        String(format: share < 0.001 && share > 0 ? "%.2f%%" : "%.1f%%", share * 100)
    }
}
