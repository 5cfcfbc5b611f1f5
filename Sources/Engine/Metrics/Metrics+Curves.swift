extension Metrics {
    /// The counts behind a binary ranking curve, as scikit-learn's `confusion_matrix_at_thresholds`: at each
    /// distinct score from the highest down, how many positives and negatives score at least that much.
    struct ThresholdCounts {
        var truePositives: [Int]
        var falsePositives: [Int]
    }

    /// The ROC curve of `scores` for the samples marked `positive` (`roc_curve`, `drop_intermediate=True`):
    /// false positive rate as `x`, true positive rate as `y`, from (0, 0) to (1, 1).
    public static func rocCurve(scores: [Double], positive: [Bool], positiveName: String) throws -> Curve {
        let metric = "roc_curve"
        var counts = try thresholdCounts(scores: scores, positive: positive, metric: metric)
        // scikit-learn drops the points in the middle of a straight run, where neither count bends.
        if counts.truePositives.count > 2 {
            let tps = counts.truePositives
            let fps = counts.falsePositives
            var kept = [0]
            for index in 1..<(tps.count - 1) {
                let bendsFalse = fps[index + 1] - 2 * fps[index] + fps[index - 1] != 0
                let bendsTrue = tps[index + 1] - 2 * tps[index] + tps[index - 1] != 0
                if bendsFalse || bendsTrue { kept.append(index) }
            }
            kept.append(tps.count - 1)
            counts = ThresholdCounts(truePositives: kept.map { tps[$0] }, falsePositives: kept.map { fps[$0] })
        }
        let positives = Double(counts.truePositives.last ?? 0)
        let negatives = Double(counts.falsePositives.last ?? 0)
        return Curve(
            x: [0] + counts.falsePositives.map { Double($0) / negatives },
            y: [0] + counts.truePositives.map { Double($0) / positives }, positive: positiveName)
    }

    /// The precision–recall curve (`precision_recall_curve`): recall as `x`, precision as `y`, in
    /// scikit-learn's order, recall falling to the final point (0, 1).
    public static func precisionRecallCurve(scores: [Double], positive: [Bool], positiveName: String) throws
        -> Curve
    {
        let counts = try thresholdCounts(scores: scores, positive: positive, metric: "precision_recall_curve")
        let positives = Double(counts.truePositives.last ?? 0)
        var recall: [Double] = []
        var precision: [Double] = []
        for (tps, fps) in zip(counts.truePositives, counts.falsePositives).reversed() {
            recall.append(Double(tps) / positives)
            precision.append(tps + fps == 0 ? 0 : Double(tps) / Double(tps + fps))
        }
        return Curve(x: recall + [0], y: precision + [1], positive: positiveName)
    }

    /// The area under the precision–recall step function (`average_precision_score`): the sum over
    /// thresholds of the rise in recall times the precision there.
    public static func averagePrecision(scores: [Double], positive: [Bool]) throws -> Double {
        let curve = try precisionRecallCurve(scores: scores, positive: positive, positiveName: "")
        var total = 0.0
        for index in 0..<(curve.x.count - 1) {
            total -= (curve.x[index + 1] - curve.x[index]) * curve.y[index]
        }
        return max(0, total)
    }

    /// Cumulative counts at each distinct score, highest first; throws unless both kinds of sample are present
    /// and every score is finite.
    static func thresholdCounts(scores: [Double], positive: [Bool], metric: String) throws -> ThresholdCounts {
        try checkPaired(positive.count, scores.count, metric: metric)
        try checkFinite(scores, "the scores", metric: metric)
        let positives = positive.filter { $0 }.count
        guard positives > 0, positives < positive.count else {
            throw EngineError(
                "\(metric): the truth holds only \(positives > 0 ? "positives" : "negatives"); the curve needs both")
        }
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var counts = ThresholdCounts(truePositives: [], falsePositives: [])
        var truePositives = 0
        var falsePositives = 0
        for (rank, sample) in order.enumerated() {
            if positive[sample] { truePositives += 1 } else { falsePositives += 1 }
            if rank == order.count - 1 || scores[order[rank + 1]] != scores[sample] {
                counts.truePositives.append(truePositives)
                counts.falsePositives.append(falsePositives)
            }
        }
        return counts
    }
}
