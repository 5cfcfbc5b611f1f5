/// The scores `evaluate` reports, computed as scikit-learn 1.x computes them so that a run can be checked
/// against a Python notebook.
///
/// Every function is pure and deterministic (sums run in index order) and returns a finite number or throws an
/// `EngineError`: empty or mismatched inputs, non-finite values and scores that scikit-learn would leave undefined
/// (NaN) are errors here, since a NaN in a run record helps nobody.
public enum Metrics {}

extension Metrics {
    /// Throws unless truth and predictions are non-empty and pair up one to one.
    static func checkPaired(_ truthCount: Int, _ predictedCount: Int, metric: String) throws {
        guard truthCount == predictedCount else {
            throw EngineError("\(metric): \(truthCount) true values but \(predictedCount) predictions")
        }
        guard truthCount > 0 else { throw EngineError("\(metric): no samples to score") }
    }

    /// Throws on NaN or infinity, which scikit-learn also rejects, naming the first offending position.
    static func checkFinite(_ values: [Double], _ what: String, metric: String) throws {
        if let index = values.firstIndex(where: { !$0.isFinite }) {
            throw EngineError("\(metric): \(what) has a non-finite value (\(values[index])) at position \(index)")
        }
    }

    /// The score itself, unless arithmetic overflowed: never hand back NaN or infinity.
    static func finite(_ value: Double, metric: String) throws -> Double {
        guard value.isFinite else {
            throw EngineError("\(metric): the result is not finite (\(value)); the values are too large")
        }
        return value
    }
}
