extension Evaluate {
    /// One computed metric.
    public struct Result: Sendable, Hashable, Codable {
        public var name: String
        public var value: Value
    }

    public enum Value: Sendable, Hashable, Codable {
        case number(Double)
        /// A confusion matrix: rows are true classes, columns predicted ones, both named by `labels`.
        case matrix([[Int]], labels: [String])
        /// Precision, recall, F1 and support of each class.
        case perClass(PerClassScores)
        /// A ROC or precision–recall curve, thinned to `Curve.recordedPoints`.
        case curve(Curve)

        public var number: Double? {
            if case .number(let value) = self { return value }
            return nil
        }
    }

    /// Scores `model` on `input`; with no metrics named, the model kind's defaults. `positive` names the class
    /// that `precision`, `recall`, `f1` and `specificity` score against the rest, and the one the curves and
    /// `average_precision` rank (by default the second of two classes, as scikit-learn's `pos_label=1`).
    public static func run(model: Model, input: Dataset, metrics: [Metric]? = nil, positive: String? = nil) throws
        -> [Result]
    {
        let chosen = metrics ?? Metric.defaults(for: model.task)
        for metric in chosen where metric.task.isDisjoint(with: model.task) {
            throw EngineError("metric '\(metric.rawValue)' does not apply to a \(model.task.names.joined()) model")
        }
        if positive == nil, let binary = chosen.first(where: \.needsPositiveClass) {
            throw EngineError("metric '\(binary.rawValue)' needs the class it scores: add 'positive: CLASS'")
        }
        let prediction = try model.predict(input)
        var results: [Result] = []
        switch prediction {
        case .classes(let predicted, let probabilities, let classes):
            let target = try input.requireTarget(for: "evaluation")
            let truth = classes.indices(of: target)
            if let unseen = truth.firstIndex(of: -1) {
                let name = target.classNames.map { $0[Int(target.values[unseen])] } ?? String(target.values[unseen])
                throw EngineError(
                    "the data has class '\(name)', which the model never saw in training (row \(unseen + 1))",
                    column: target.name)
            }
            let perClass = try Metrics.perClass(truth: truth, predicted: predicted, labels: classes.names)
            var positiveIndex: Int?
            if let positive {
                guard let index = classes.names.firstIndex(of: positive) else {
                    throw EngineError(
                        "positive class '\(positive)' is not a class of the model; its classes are "
                            + classes.names.joined(separator: ", "), column: target.name)
                }
                positiveIndex = index
            }
            /// The positive class's probabilities and which samples are of it, for the ranking metrics.
            func ranking(_ metric: Metric) throws -> (scores: [Double], positive: [Bool], name: String) {
                guard classes.count == 2 else {
                    throw EngineError(
                        "metric '\(metric.rawValue)' needs a target of two classes; the model has \(classes.count) "
                            + "(\(classes.names.prefix(5).joined(separator: ", "))\(classes.count > 5 ? ", …" : ""))",
                        column: target.name)
                }
                let index = positiveIndex ?? 1
                return (probabilities.column(index), truth.map { $0 == index }, classes.names[index])
            }
            var scores: ClassificationScores?
            func classification() throws -> ClassificationScores {
                if let scores { return scores }
                let computed = try Metrics.precisionRecallF1(truth: truth, predicted: predicted)
                scores = computed
                return computed
            }
            for metric in chosen {
                let value: Value
                switch metric {
                case .accuracy: value = .number(try Metrics.accuracy(truth: truth, predicted: predicted))
                case .precisionMacro: value = .number(try classification().precisionMacro)
                case .recallMacro: value = .number(try classification().recallMacro)
                case .f1Macro: value = .number(try classification().f1Macro)
                case .precisionWeighted: value = .number(try classification().precisionWeighted)
                case .recallWeighted: value = .number(try classification().recallWeighted)
                case .f1Weighted: value = .number(try classification().f1Weighted)
                case .logLoss: value = .number(try Metrics.logLoss(truth: truth, probabilities: probabilities))
                case .rocAUC: value = .number(try Metrics.rocAUC(truth: truth, probabilities: probabilities))
                case .averagePrecision:
                    let ranked = try ranking(metric)
                    value = .number(try Metrics.averagePrecision(scores: ranked.scores, positive: ranked.positive))
                case .rocCurve:
                    let ranked = try ranking(metric)
                    let curve = try Metrics.rocCurve(
                        scores: ranked.scores, positive: ranked.positive, positiveName: ranked.name)
                    value = .curve(curve.thinned())
                case .precisionRecallCurve:
                    let ranked = try ranking(metric)
                    let curve = try Metrics.precisionRecallCurve(
                        scores: ranked.scores, positive: ranked.positive, positiveName: ranked.name)
                    value = .curve(curve.thinned())
                case .precision: value = .number(positiveIndex.map { perClass.precision[$0] } ?? 0)
                case .recall: value = .number(positiveIndex.map { perClass.recall[$0] } ?? 0)
                case .f1: value = .number(positiveIndex.map { perClass.f1[$0] } ?? 0)
                case .specificity: value = .number(positiveIndex.map(perClass.specificity) ?? 0)
                case .perClass: value = .perClass(perClass)
                case .confusion:
                    let matrix = try Metrics.confusion(truth: truth, predicted: predicted, classCount: classes.count)
                    value = .matrix(matrix, labels: classes.names)
                default: continue
                }
                results.append(Result(name: metric.rawValue, value: value))
            }
        case .values(let predicted):
            let target = try input.requireTarget(for: "evaluation")
            guard target.classNames == nil else {
                throw EngineError(
                    "target '\(target.name)' holds text; regression metrics need numbers", column: target.name)
            }
            for metric in chosen {
                let value: Double
                switch metric {
                case .mse: value = try Metrics.meanSquaredError(truth: target.values, predicted: predicted)
                case .rmse: value = try Metrics.rootMeanSquaredError(truth: target.values, predicted: predicted)
                case .mae: value = try Metrics.meanAbsoluteError(truth: target.values, predicted: predicted)
                case .r2: value = try Metrics.r2(truth: target.values, predicted: predicted)
                default: continue
                }
                results.append(Result(name: metric.rawValue, value: .number(value)))
            }
        case .clusters(let labels, let centers):
            let points = try input.numericFeatures()
            for metric in chosen {
                let value: Double
                switch metric {
                case .inertia: value = try Metrics.inertia(points: points, centers: centers, labels: labels)
                case .silhouette: value = try Metrics.silhouette(points: points, labels: labels)
                default: continue
                }
                results.append(Result(name: metric.rawValue, value: .number(value)))
            }
        }
        return results
    }
}
