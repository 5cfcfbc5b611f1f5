/// A curve `evaluate` records for a binary classifier: points in the order scikit-learn returns them, and
/// the class scored as positive.
public struct Curve: Sendable, Hashable, Codable {
    /// The false positive rate of a ROC curve, the recall of a precision–recall curve.
    public var x: [Double]
    /// The true positive rate of a ROC curve, the precision of a precision–recall curve.
    public var y: [Double]
    /// The name of the class scored against the rest.
    public var positive: String

    public init(x: [Double], y: [Double], positive: String) {
        self.x = x
        self.y = y
        self.positive = positive
    }

    /// The most points a recorded curve keeps: enough for a chart 640 units wide, few enough for a record.
    public static let recordedPoints = 200

    /// At most `limit` points, evenly spaced along the curve's order, always keeping the first and the last,
    /// so that a curve over a hundred thousand thresholds still starts and ends where it did.
    public func thinned(to limit: Int = Curve.recordedPoints) -> Curve {
        let count = min(x.count, y.count)
        guard count > limit, limit >= 2 else { return self }
        var indices: [Int] = []
        indices.reserveCapacity(limit)
        for slot in 0..<limit {
            let index = Int((Double(slot) * Double(count - 1) / Double(limit - 1)).rounded())
            if indices.last != index { indices.append(index) }
        }
        return Curve(x: indices.map { x[$0] }, y: indices.map { y[$0] }, positive: positive)
    }
}
