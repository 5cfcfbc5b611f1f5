import Foundation

extension Metrics {
    /// The fraction of predictions equal to the truth (`accuracy_score`).
    public static func accuracy(truth: [Int], predicted: [Int]) throws -> Double {
        try checkPaired(truth.count, predicted.count, metric: "accuracy")
        var correct = 0
        for (actual, guess) in zip(truth, predicted) where actual == guess { correct += 1 }
        return Double(correct) / Double(truth.count)
    }

    /// Precision, recall and F1 per class, then averaged (`precision_recall_fscore_support`, `zero_division=0`).
    ///
    /// The classes are the sorted union of the labels in `truth` and `predicted`, as scikit-learn infers them: a
    /// class that is only ever predicted counts in the macro average with recall 0, and one never predicted has
    /// precision 0. The weighted average weighs each class by its support in `truth`.
    public static func precisionRecallF1(truth: [Int], predicted: [Int]) throws -> ClassificationScores {
        try checkPaired(truth.count, predicted.count, metric: "precision/recall/f1")
        let labels = Set(truth).union(predicted).sorted()
        var position: [Int: Int] = [:]
        for (index, label) in labels.enumerated() { position[label] = index }
        var truePositives = [Int](repeating: 0, count: labels.count)
        var predictedCounts = [Int](repeating: 0, count: labels.count)
        var trueCounts = [Int](repeating: 0, count: labels.count)
        for (actual, guess) in zip(truth, predicted) {
            guard let actualIndex = position[actual], let guessIndex = position[guess] else { continue }
            trueCounts[actualIndex] += 1
            predictedCounts[guessIndex] += 1
            if actual == guess { truePositives[actualIndex] += 1 }
        }

        var precision: [Double] = []
        var recall: [Double] = []
        var f1: [Double] = []
        for index in labels.indices {
            precision.append(ratio(truePositives[index], predictedCounts[index]))
            recall.append(ratio(truePositives[index], trueCounts[index]))
            // scikit-learn's form, (1 + β²)·tp / (β²·support + predicted), which is 0 when both are 0.
            f1.append(ratio(2 * truePositives[index], trueCounts[index] + predictedCounts[index]))
        }
        let weights = trueCounts.map(Double.init)
        return ClassificationScores(
            precisionMacro: mean(precision), recallMacro: mean(recall), f1Macro: mean(f1),
            precisionWeighted: weightedMean(precision, weights),
            recallWeighted: weightedMean(recall, weights),
            f1Weighted: weightedMean(f1, weights))
    }

    /// Counts of (true class, predicted class): row `t`, column `p` counts the samples of class `t` predicted as
    /// `p` (`confusion_matrix(labels=range(classCount))`).
    ///
    /// A label outside `0..<classCount` is an error, where scikit-learn would silently drop the sample.
    public static func confusion(truth: [Int], predicted: [Int], classCount: Int) throws -> [[Int]] {
        try checkPaired(truth.count, predicted.count, metric: "confusion")
        guard classCount > 0 else { throw EngineError("confusion: needs at least one class, got \(classCount)") }
        var counts = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: classCount)
        for (index, (actual, guess)) in zip(truth, predicted).enumerated() {
            guard (0..<classCount).contains(actual), (0..<classCount).contains(guess) else {
                throw EngineError(
                    "confusion: sample \(index) has true class \(actual) and predicted class \(guess); "
                        + "classes must be in 0..<\(classCount)")
            }
            counts[actual][guess] += 1
        }
        return counts
    }

    /// Mean negative log-likelihood of the true class (`log_loss` with `labels=range(k)`).
    ///
    /// Row `i` of `probabilities` holds sample `i`'s probability of each class `0..<k`. As scikit-learn ≥ 1.5
    /// does for float64, probabilities are clipped to `[ε, 1 − ε]` with ε the machine epsilon, so a confident
    /// mistake costs about 36 rather than infinity; rows are not renormalised (scikit-learn stopped doing that
    /// and only warns when rows do not sum to one). Probabilities outside `[0, 1]` are an error, as there.
    public static func logLoss(truth: [Int], probabilities: Matrix) throws -> Double {
        let metric = "log_loss"
        try checkProbabilities(truth: truth, probabilities: probabilities, metric: metric)
        let epsilon = Double.ulpOfOne
        var total = 0.0
        for (sample, label) in truth.enumerated() {
            let probability = min(max(probabilities[sample, label], epsilon), 1 - epsilon)
            total += -log(probability)
        }
        return try finite(total / Double(truth.count), metric: metric)
    }

    /// Area under the ROC curve (`roc_auc_score`).
    ///
    /// With two columns, the binary score of column 1 against class 1. With more, the one-vs-rest macro average
    /// (`multi_class="ovr"`, `average="macro"`), which like scikit-learn needs every class present in `truth`
    /// and rows that sum to one. Ties count one half: the area is the trapezoid under the ROC curve, computed
    /// exactly in integers before one division.
    public static func rocAUC(truth: [Int], probabilities: Matrix) throws -> Double {
        let metric = "roc_auc"
        try checkProbabilities(truth: truth, probabilities: probabilities, metric: metric)
        let classCount = probabilities.columns
        var support = [Int](repeating: 0, count: classCount)
        for label in truth { support[label] += 1 }
        let present = support.indices.filter { support[$0] > 0 }
        guard present.count > 1 else {
            throw EngineError(
                "\(metric): the truth holds only class \(present.first ?? 0); ROC AUC needs both positives and "
                    + "negatives")
        }
        if classCount == 2 {
            return binaryAUC(scores: probabilities.column(1), positive: truth.map { $0 == 1 })
        }
        if let missing = support.firstIndex(of: 0) {
            throw EngineError(
                "\(metric): class \(missing) never occurs in the truth, so its one-vs-rest ROC AUC is undefined")
        }
        for sample in 0..<probabilities.rows {
            var sum = 0.0
            for value in probabilities.row(sample) { sum += value }
            // numpy.allclose(1, sum): |1 − sum| ≤ 1e-8 + 1e-5·|sum|.
            guard abs(1 - sum) <= 1e-8 + 1e-5 * abs(sum) else {
                throw EngineError(
                    "\(metric): the probabilities of sample \(sample) sum to \(sum), not 1; one-vs-rest ROC AUC "
                        + "needs probabilities")
            }
        }
        var total = 0.0
        for label in 0..<classCount {
            total += binaryAUC(scores: probabilities.column(label), positive: truth.map { $0 == label })
        }
        return total / Double(classCount)
    }
}

extension Metrics {
    /// `numerator / denominator`, or 0 when the denominator is 0 (scikit-learn's `zero_division=0`).
    private static func ratio(_ numerator: Int, _ denominator: Int) -> Double {
        denominator == 0 ? 0 : Double(numerator) / Double(denominator)
    }

    private static func mean(_ values: [Double]) -> Double {
        var sum = 0.0
        for value in values { sum += value }
        return sum / Double(values.count)
    }

    /// `numpy.average(values, weights=weights)`; the weights are class supports, whose sum is the sample count.
    private static func weightedMean(_ values: [Double], _ weights: [Double]) -> Double {
        var sum = 0.0
        var weightSum = 0.0
        for (value, weight) in zip(values, weights) {
            sum += value * weight
            weightSum += weight
        }
        return weightSum == 0 ? 0 : sum / weightSum
    }

    /// Throws unless there is one row of probabilities in `[0, 1]` per sample, at least two classes, and every
    /// label names a column.
    private static func checkProbabilities(truth: [Int], probabilities: Matrix, metric: String) throws {
        try checkPaired(truth.count, probabilities.rows, metric: metric)
        guard probabilities.columns >= 2 else {
            throw EngineError("\(metric): needs probabilities for at least two classes, got \(probabilities.columns)")
        }
        if let index = probabilities.values.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
            throw EngineError(
                "\(metric): probability \(probabilities.values[index]) of sample \(index / probabilities.columns) "
                    + "is not in [0, 1]")
        }
        if let index = truth.firstIndex(where: { !(0..<probabilities.columns).contains($0) }) {
            throw EngineError(
                "\(metric): sample \(index) has class \(truth[index]), but the probabilities cover classes "
                    + "0..<\(probabilities.columns)")
        }
    }

    /// The area under the ROC curve of `scores` for the samples marked `positive`; both kinds must be present.
    ///
    /// Walking thresholds from the highest score down, each group of tied scores moves the curve from
    /// (fp, tp) to (fp + Δfp, tp + Δtp); twice the trapezoid under that step is Δfp · (2·tp + Δtp), an integer.
    private static func binaryAUC(scores: [Double], positive: [Bool]) -> Double {
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var truePositives = 0
        var falsePositives = 0
        var twiceArea = 0
        var start = 0
        while start < order.count {
            var end = start
            var newPositives = 0
            var newNegatives = 0
            while end < order.count, scores[order[end]] == scores[order[start]] {
                if positive[order[end]] { newPositives += 1 } else { newNegatives += 1 }
                end += 1
            }
            twiceArea += newNegatives * (2 * truePositives + newPositives)
            truePositives += newPositives
            falsePositives += newNegatives
            start = end
        }
        return Double(twiceArea) / (2 * Double(truePositives) * Double(falsePositives))
    }
}
