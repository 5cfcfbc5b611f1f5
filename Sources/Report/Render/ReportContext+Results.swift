import Foundation
import Runs

/// The answer at the top of the page: each `evaluate` step a row, each of their metrics a column, the best
/// value of each column marked; then the final values of the training curves and any other metric.
extension ReportContext {
    /// A cell of the model × metric table.
    struct Score {
        var value: Double?

        var text: String { value.map(Format.number) ?? "–" }
    }

    func results() -> [String: Any] {
        let evaluations = run.steps.filter { OperationKind(recorded: $0.op) == .evaluate }.map(\.name)
        let evaluated = Set(evaluations)
        var columns: [String] = []
        var rows: [(step: String, scores: [String: Double])] = []
        for step in evaluations {
            var scores: [String: Double] = [:]
            for metric in run.metrics {
                guard let value = metric.value, let name = Self.metricName(metric.name, of: step) else { continue }
                if !columns.contains(name) { columns.append(name) }
                scores[name] = value
            }
            rows.append((step, scores))
        }
        var values: [String: Any] = [:]
        let table = evaluationTable(columns: columns, rows: rows)
        values["evaluationColumns"] = table.columns
        values["evaluations"] = table.rows
        values["hasEvaluations"] = !columns.isEmpty
        values["marksBest"] = table.marksBest
        let others = otherMetrics(excluding: columns.isEmpty ? [] : evaluated)
        values["metrics"] = others
        values["hasMetrics"] = !others.isEmpty
        values["metricsHeading"] = columns.isEmpty ? "" : "Training curves and other metrics"
        values["hasResults"] = !columns.isEmpty || !others.isEmpty
        return values
    }

    /// `accuracy` for `eval.accuracy` of step `eval`; nil for another step's metric.
    static func metricName(_ name: String, of step: String) -> String? {
        let prefix = "\(step)."
        return name.hasPrefix(prefix) ? String(name.dropFirst(prefix.count)) : nil
    }

    /// The indices of the best rows of a column: the highest or lowest value as `maximize` says, every
    /// row that ties for it; none when fewer than two rows have a value, or the direction is unknown.
    static func best(_ values: [Double?], maximize: Bool?) -> Set<Int> {
        guard let maximize else { return [] }
        let present = values.enumerated().compactMap { index, value in
            value.flatMap { $0.isNaN ? nil : (index, $0) }
        }
        guard present.count >= 2, let target = maximize ? present.map(\.1).max() : present.map(\.1).min() else {
            return []
        }
        return Set(present.filter { $0.1 == target }.map(\.0))
    }

    private func evaluationTable(
        columns: [String], rows: [(step: String, scores: [String: Double])]
    ) -> (columns: [[String: Any]], rows: [[String: Any]], marksBest: Bool) {
        let directions = columns.map { SweepObjective.maximizes($0) }
        let best = columns.enumerated().map { index, column in
            Self.best(rows.map { $0.scores[column] }, maximize: directions[index])
        }
        let headers = zip(columns, directions).map { name, maximize -> [String: Any] in
            [
                "name": name, "arrow": maximize.map { $0 ? "↑" : "↓" } ?? "",
                "direction": maximize.map { $0 ? "higher is better" : "lower is better" } ?? "",
                "hasDirection": maximize != nil,
            ]
        }
        let body = rows.enumerated().map { number, row -> [String: Any] in
            let record = run.steps.first { $0.name == row.step }
            let cells = columns.enumerated().map { index, column -> [String: Any] in
                let score = Score(value: row.scores[column])
                return [
                    "text": score.text, "exact": score.value.map(Format.exact) ?? "not recorded",
                    "best": best[index].contains(number),
                ]
            }
            return [
                "step": row.step, "about": about(evaluation: row.step), "cells": cells,
                "notRun": record?.status != .succeeded,
                "status": record.map { $0.status == .failed ? "failed" : $0.status == .notRun ? "not run" : "" } ?? "",
            ]
        }
        return (headers, body, best.contains { !$0.isEmpty })
    }

    /// `softmax on scale.test`: the model an evaluation scored (with the kind of model, when its step's
    /// name does not say it) and the data it scored it on, from the configuration it ran with.
    private func about(evaluation step: String) -> String {
        guard let text = configurations[step]?.configuration.text,
            let model = Self.topLevelValue("model", in: text)
        else { return "" }
        var about = model
        if let kind = configurations[model]?.configuration.variant, kind != model { about += " (\(kind))" }
        if let input = Self.topLevelValue("input", in: text) { about += " on \(input)" }
        return about
    }

    /// The value of `key` in a configuration as `ConfigText` writes it (`key: value`, one a line), when it
    /// is a plain word.
    static func topLevelValue(_ key: String, in text: String) -> String? {
        for line in text.split(separator: "\n") where line.hasPrefix("\(key): ") {
            let value = line.dropFirst(key.count + 2).trimmingCharacters(in: .whitespaces)
            return value.isEmpty || value.hasPrefix("\"") || value.hasPrefix("[") ? nil : value
        }
        return nil
    }

    /// Scalar metrics of the steps not in `excluded`, then the last point of each series.
    private func otherMetrics(excluding excluded: Set<String>) -> [[String: Any]] {
        var rows: [[String: Any]] = run.metrics.compactMap { metric in
            guard let value = metric.value,
                !excluded.contains(where: { Self.metricName(metric.name, of: $0) != nil })
            else { return nil }
            return [
                "name": metric.name, "value": Format.number(value), "exact": Format.exact(value), "points": "",
            ]
        }
        for series in run.series {
            guard let last = series.points.last else { continue }
            rows.append([
                "name": series.name, "value": Format.number(last.value), "exact": Format.exact(last.value),
                "points": Format.count(series.points.count),
            ])
        }
        return rows
    }
}
