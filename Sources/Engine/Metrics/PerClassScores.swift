/// Precision, recall, F1 and support of each class, as scikit-learn's `classification_report` (and
/// `precision_recall_fscore_support(average=None, labels=range(k), zero_division=0)`) gives them.
public struct PerClassScores: Sendable, Hashable, Codable {
    public var labels: [String]
    public var precision: [Double]
    public var recall: [Double]
    public var f1: [Double]
    /// The samples of each class in the truth.
    public var support: [Int]
    /// Samples of other classes that are not predicted as each class, for specificity.
    public var trueNegatives: [Int]
    public var falsePositives: [Int]

    /// The specificity of class `index` against the rest: tn / (tn + fp), 0 when there are no negatives.
    public func specificity(_ index: Int) -> Double {
        let negatives = trueNegatives[index] + falsePositives[index]
        return negatives == 0 ? 0 : Double(trueNegatives[index]) / Double(negatives)
    }
}

extension Metrics {
    /// The scores of every class `0..<labels.count`, each class against the rest.
    ///
    /// A class with no predictions has precision 0 and one with no support recall 0 (`zero_division=0`).
    public static func perClass(truth: [Int], predicted: [Int], labels: [String]) throws -> PerClassScores {
        try checkPaired(truth.count, predicted.count, metric: "per_class")
        let count = labels.count
        var truePositives = [Int](repeating: 0, count: count)
        var predictedCounts = [Int](repeating: 0, count: count)
        var support = [Int](repeating: 0, count: count)
        for (index, (actual, guess)) in zip(truth, predicted).enumerated() {
            guard (0..<count).contains(actual), (0..<count).contains(guess) else {
                throw EngineError(
                    "per_class: sample \(index) has true class \(actual) and predicted class \(guess); "
                        + "classes must be in 0..<\(count)")
            }
            support[actual] += 1
            predictedCounts[guess] += 1
            if actual == guess { truePositives[actual] += 1 }
        }
        func ratio(_ numerator: Int, _ denominator: Int) -> Double {
            denominator == 0 ? 0 : Double(numerator) / Double(denominator)
        }
        let falsePositives = (0..<count).map { predictedCounts[$0] - truePositives[$0] }
        return PerClassScores(
            labels: labels,
            precision: (0..<count).map { ratio(truePositives[$0], predictedCounts[$0]) },
            recall: (0..<count).map { ratio(truePositives[$0], support[$0]) },
            f1: (0..<count).map { ratio(2 * truePositives[$0], support[$0] + predictedCounts[$0]) },
            support: support,
            trueNegatives: (0..<count).map { truth.count - support[$0] - falsePositives[$0] },
            falsePositives: falsePositives)
    }
}
