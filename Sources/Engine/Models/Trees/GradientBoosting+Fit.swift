import Foundation

extension GradientBoosting {
    /// Boosts trees on `dataset` (NaN allowed), scoring `validation` or, with early stopping and no
    /// validation data, a stratified `validationFraction` of the input held out by `seed`.
    public static func fit(
        _ dataset: Dataset, validation: Dataset?, options: Options, progress: ((TrainingEvent) -> Void)? = nil
    ) throws -> Trained {
        let target = try dataset.requireTarget(for: "gradient boosting")
        _ = try dataset.numericFeatures(allowingMissing: true)
        guard dataset.rowCount > 0 else { throw EngineError("the training data has no rows") }
        guard dataset.columnCount > 0 else { throw EngineError("the training data has no feature columns") }
        if let bad = target.values.firstIndex(where: { !$0.isFinite }) {
            throw EngineError(
                "target '\(target.name)' has a missing or infinite value (row \(bad + 1) of this dataset); "
                    + "drop those rows before training", column: target.name)
        }
        let classifier = MultilayerPerceptron.classifies(target)
        var classes: ClassSet?
        if classifier {
            let (set, _) = try ClassSet.encodeTwoOrMore(target)
            classes = set
        }
        try MemoryEstimate.boosting(
            iterations: options.iterations, outputs: classes.map { $0.count > 2 ? $0.count : 1 } ?? 1,
            leaves: options.leaves, rows: dataset.rowCount, validationRows: validation?.rowCount ?? 0,
            features: dataset.columnCount, bins: options.bins
        ).check()
        let early =
            options.earlyStopping == .on
            || (options.earlyStopping == .auto && dataset.rowCount > Options.autoRows)
        var training = dataset
        var scored = validation
        if scored == nil, early {
            let parts = try Split.run(
                dataset, test: options.validationFraction, validation: 0, stratify: classifier, seed: options.seed)
            training = parts.train
            scored = parts.test
        }
        if let scored, scored.columns.map(\.name) != dataset.columns.map(\.name) {
            throw EngineError("the validation data's columns differ from the training data's")
        }
        var booster = try Booster(training: training, classes: classes, options: options)
        if let scored {
            try booster.attachValidation(scored, target: try scored.requireTarget(for: "validation"))
        }
        var series: [String: [SeriesPoint]] = ["loss": []]
        // Losses, lower is better; the first is the baseline's, as scikit-learn counts them.
        var losses = booster.validationScores().first.map { [$0.value] } ?? []
        for iteration in 1...options.iterations {
            let grewSomething = booster.iterate()
            let loss = booster.trainingLoss()
            guard loss.isFinite else {
                throw EngineError("training diverged at iteration \(iteration) (loss is not finite); lower lr")
            }
            series["loss", default: []].append(SeriesPoint(iteration, loss))
            let scores = booster.validationScores()
            for (name, value) in scores {
                series[name, default: []].append(SeriesPoint(iteration, value))
            }
            if let first = scores.first { losses.append(first.value) }
            progress?(TrainingEvent(epoch: iteration, epochs: options.iterations, loss: loss, unit: "iteration"))
            // Trees that cannot split any more would all be the same single leaf.
            if !grewSomething { break }
            if early, shouldStop(losses, patience: options.patience, tolerance: options.tolerance) { break }
        }
        let model = booster.model(featureNames: dataset.columns.map(\.name))
        return Trained(model: .gradientBoosting(model), series: series)
    }

    /// scikit-learn's `_should_stop`: none of the last `patience` losses beat the one before them
    /// by more than `tolerance`.
    static func shouldStop(_ losses: [Double], patience: Int, tolerance: Double) -> Bool {
        guard losses.count > patience else { return false }
        let reference = losses[losses.count - patience - 1] - tolerance
        return !losses.suffix(patience).contains { $0 < reference }
    }
}
