import Drift
import Engine
import Foundation

/// The model's side of `athanor monitor`: its predictions of the new data against its predictions of the data it
/// learnt from, and, when the new data has the target, its metrics there beside those the run recorded.
struct PredictionDrift {
    var prediction: FeatureDrift?
    /// Why the predictions were not compared, when they were not.
    var note: String?
    var refusedRows = 0
    var refusals: String?
    var metrics: [MetricComparison] = []

    /// The model rebuilt from the run (its transforms fitted again), the reference made from its predictions of
    /// `training`, and the new data scored unless it is a request log, whose predictions are given.
    static func compare(
        _ data: NewData, outputs: RecordedOutputs, training: TrainingData, threshold: Double
    ) -> PredictionDrift {
        let bundle: ModelBundle
        let reference: ColumnStatistics
        do {
            bundle = try ModelBundle.resolve(step: training.model, of: outputs)
            var raw = try outputs.dataset(training.dataset)
            raw.target = nil
            for fitted in bundle.transforms { raw = try fitted.apply(raw) }
            let scores = try bundle.scores(of: raw)
            reference = ColumnStatistics(
                name: "prediction", role: .prediction, values: values(scores.predictions, bundle.schema))
        } catch {
            return PredictionDrift(note: "the model could not be rebuilt from run \(outputs.run.id): \(error)")
        }
        if let logged = data.predictions {
            return PredictionDrift(prediction: FeatureDrift(reference, logged, threshold: threshold))
        }
        let columns = data.order.compactMap { name in data.columns[name].map { (name: name, values: $0) } }
        let scored: (scores: Scores, scored: [Int], refused: ScoringError)
        do {
            scored = try bundle.scoreEach(columns, rows: data.rows)
        } catch {
            return PredictionDrift(note: "the new data cannot be scored: \(error)")
        }
        guard !scored.scored.isEmpty || data.rows == 0 else {
            return PredictionDrift(
                note: "the model could take none of the \(data.rows) rows", refusedRows: data.rows,
                refusals: scored.refused.description)
        }
        let predictions = values(scored.scores.predictions, bundle.schema)
        var result = PredictionDrift(
            prediction: FeatureDrift(reference, predictions, threshold: threshold),
            refusedRows: data.rows - scored.scored.count,
            refusals: scored.refused.mistyped.isEmpty ? nil : scored.refused.description)
        if let target = bundle.schema.target, let truth = data.columns[target] {
            result.metrics = metrics(
                truth: truth, rows: scored.scored, predictions: scored.scores.predictions, schema: bundle.schema,
                recorded: recorded(for: training.model, in: outputs))
        }
        return result
    }

    /// Predictions as a column: a classifier's classes (or clusters) as categories, a regression's numbers.
    static func values(_ predictions: [RawValue], _ schema: RawSchema) -> ColumnValues {
        if schema.task.contains("regression") {
            return .numbers(predictions.map { if case .number(let value) = $0 { value } else { .nan } })
        }
        return .categories(of: predictions.map(text), known: schema.classes ?? [])
    }

    static func text(_ value: RawValue) -> String? {
        switch value {
        case .number(let number): ColumnValues.text(number)
        case .text(let text): text
        case .missing: nil
        }
    }

    /// A function reading a target's row: a number, or (a classifier's, or one that is not) text.
    static func reader(_ column: ColumnValues, numeric: Bool) -> (Int) -> RawValue {
        switch column {
        case .numbers(let numbers):
            return { numbers[$0].isNaN ? .missing : .number(numbers[$0]) }
        case .categories(let levels, let codes):
            let values = levels.map { level in
                numeric
                    ? Double(level.trimmingCharacters(in: .whitespaces)).map(RawValue.number) ?? .text(level)
                    : .text(level)
            }
            return { row in ColumnValues.index(codes[row], values.count).map { values[$0] } ?? .missing }
        }
    }

    /// The metrics the run's `evaluate` steps recorded for `model`, by metric name, with the step.
    static func recorded(for model: String, in outputs: RecordedOutputs) -> [String: (Double, String)] {
        var found: [String: (Double, String)] = [:]
        for step in outputs.plan.steps where step.op == "evaluate" && step.configuration["model"]?.string == model {
            for metric in outputs.run.metrics where metric.name.hasPrefix(step.name + ".") {
                guard let value = metric.value else { continue }
                let name = String(metric.name.dropFirst(step.name.count + 1))
                if found[name] == nil { found[name] = (value, step.name) }
            }
        }
        return found
    }

    /// Accuracy and macro F1 of a classifier, RMSE, MAE and R² of a regression, over the scored rows whose
    /// target is present.
    static func metrics(
        truth: ColumnValues, rows: [Int], predictions: [RawValue], schema: RawSchema,
        recorded: [String: (Double, String)]
    ) -> [MetricComparison] {
        let read = reader(truth, numeric: !schema.task.contains("classification"))
        var values: [(String, Double)] = []
        var count = 0
        if schema.task.contains("classification") {
            var codes: [String: Int] = [:]
            func code(_ text: String) -> Int {
                if let known = codes[text] { return known }
                codes[text] = codes.count
                return codes.count - 1
            }
            var expected: [Int] = []
            var predicted: [Int] = []
            for (row, prediction) in zip(rows, predictions) {
                guard let label = text(read(row)), let guess = text(prediction) else { continue }
                expected.append(code(label))
                predicted.append(code(guess))
            }
            count = expected.count
            if let accuracy = try? Metrics.accuracy(truth: expected, predicted: predicted),
                let scores = try? Metrics.precisionRecallF1(truth: expected, predicted: predicted)
            {
                values = [("accuracy", accuracy), ("f1_macro", scores.f1Macro)]
            }
        } else if schema.task.contains("regression") {
            var expected: [Double] = []
            var predicted: [Double] = []
            for (row, prediction) in zip(rows, predictions) {
                guard case .number(let value) = read(row), case .number(let guess) = prediction else { continue }
                expected.append(value)
                predicted.append(guess)
            }
            count = expected.count
            if let rmse = try? Metrics.rootMeanSquaredError(truth: expected, predicted: predicted),
                let mae = try? Metrics.meanAbsoluteError(truth: expected, predicted: predicted),
                let r2 = try? Metrics.r2(truth: expected, predicted: predicted)
            {
                values = [("rmse", rmse), ("mae", mae), ("r2", r2)]
            }
        }
        return values.map { name, value in
            MetricComparison(
                name: name, value: value, rows: count, recorded: recorded[name]?.0, recordedBy: recorded[name]?.1)
        }
    }
}
