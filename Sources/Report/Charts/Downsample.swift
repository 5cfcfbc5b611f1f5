import Runs

/// Fewer points for drawing, the shape kept: a line over `columns` pixel columns needs at most the lowest and
/// the highest point of each column, in their order, to look the same (the "min/max" decimation of plotting
/// libraries). The first and last points are always kept, so that the curve starts and ends where it does.
enum Downsample {
    static func minMax(_ points: [RecordedPoint], columns: Int) -> [RecordedPoint] {
        guard columns > 0, points.count > 2 * columns + 2, let first = points.first, let last = points.last else {
            return points
        }
        let low = Double(first.index)
        let span = max(Double(last.index) - low, 1)
        var kept: [RecordedPoint] = [first]
        kept.reserveCapacity(2 * columns + 2)
        var column = -1
        var smallest = first
        var largest = first
        var seen = false
        func flush() {
            guard seen else { return }
            if smallest.index == largest.index {
                kept.append(smallest)
            } else if smallest.index < largest.index {
                kept += [smallest, largest]
            } else {
                kept += [largest, smallest]
            }
        }
        for point in points.dropFirst().dropLast() {
            let position = min(Int((Double(point.index) - low) / span * Double(columns)), columns - 1)
            if position != column {
                flush()
                column = position
                smallest = point
                largest = point
                seen = true
            } else {
                // NaN never wins a comparison: a gap in the curve is dropped rather than drawn.
                if point.value < smallest.value || smallest.value.isNaN { smallest = point }
                if point.value > largest.value || largest.value.isNaN { largest = point }
            }
        }
        flush()
        kept.append(last)
        return kept
    }
}
