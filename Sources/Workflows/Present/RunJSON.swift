import Foundation

/// Runs as JSON for `--json` (DESIGN §7): stable keys, values as numbers where they are numbers.
public enum RunJSON {
    /// How the JSON gives every date: ISO 8601 with fractional seconds.
    static func dateFormatter() -> ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }

    /// One date as the JSON gives it.
    static func iso(_ date: Date) -> String { dateFormatter().string(from: date) }

    public static func object(_ run: RunRecord) -> [String: Any] {
        var params: [String: Any] = [:]
        for parameter in run.parameters { params[parameter.name] = parse(parameter.value) }
        var metrics: [String: Any] = [:]
        for metric in run.metrics {
            if let value = metric.value {
                metrics[metric.name] = value
            } else if let json = metric.json {
                metrics[metric.name] = parse(json)
            }
        }
        var series: [String: Any] = [:]
        for item in run.series { series[item.name] = Points(item.points) }
        let formatter = dateFormatter()
        var object: [String: Any] = [
            "id": run.id, "notebook": run.notebook, "notebook_sha256": run.notebookSHA256,
            "status": run.status.rawValue,
            "started": formatter.string(from: run.started), "command": run.command, "params": params,
            "overridden": run.parameters.filter(\.overridden).map(\.name), "metrics": metrics, "series": series,
            "datasets": run.datasets.map {
                [
                    "step": $0.step, "path": $0.path, "sha256": $0.sha256, "rows": $0.rows, "columns": $0.columns,
                    "bytes": $0.bytes,
                ]
                    as [String: Any]
            },
            "steps": run.steps.map { step -> [String: Any] in
                var item: [String: Any] = [
                    "name": step.name, "op": step.op, "cache": step.cache?.rawValue ?? NSNull(),
                    "seconds": step.seconds,
                    "status": step.status.rawValue, "cache_key": step.cacheKey,
                ]
                if let error = step.error { item["error"] = error }
                if let explanation = step.explanation { item["explanation"] = explanation }
                return item
            },
            "artifacts": run.artifacts.map {
                ["step": $0.step, "name": $0.name, "sha256": $0.sha256, "size": $0.size] as [String: Any]
            },
            "environment": [
                "tool_version": run.environment.toolVersion, "engine_version": run.environment.engineVersion,
                "os": run.environment.os, "cpu_model": run.environment.cpuModel, "cores": run.environment.cores,
                "git_commit": run.environment.gitCommit ?? NSNull(), "git_dirty": run.environment.gitDirty ?? NSNull(),
                "blas_kernel": run.environment.blasKernel.map {
                    ["name": $0.name, "chosen_by": $0.source.rawValue] as Any
                } ?? NSNull(),
            ] as [String: Any],
            "report": run.report ?? NSNull(),
        ]
        object["finished"] = run.finished.map { formatter.string(from: $0) } ?? NSNull()
        if let title = run.title { object["title"] = title }
        if let sweep = run.sweep { object["sweep"] = sweep }
        if !run.tags.isEmpty { object["tags"] = run.tags }
        if let note = run.note { object["note"] = note }
        if let job = run.job {
            object["job"] =
                [
                    "scheduler": job.scheduler, "id": job.jobID, "array_task": job.arrayTask,
                    "node": job.node ?? NSNull(), "state": job.state ?? NSNull(), "exit": job.exit ?? NSNull(),
                    "reason": job.reason ?? NSNull(), "output": job.output ?? NSNull(),
                ] as [String: Any]
        }
        return object
    }

    /// The short form `runs --json` lists.
    public static func summary(_ run: RunRecord) -> [String: Any] {
        var summary = object(run).filter {
            [
                "id", "notebook", "status", "started", "finished", "params", "metrics", "title", "sweep", "tags",
                "note", "job",
            ]
            .contains($0.key)
        }
        if let reproduced = RunText.reproduced(run) { summary["reproduces"] = reproduced }
        return summary
    }

    /// `value` pretty-printed with sorted keys, each `Points` in it as a list of `[index, value]`; "null" when
    /// it is not JSON (a NaN or an infinity, which JSON cannot write).
    public static func text(_ value: Any) -> String {
        var writer = PointsWriter()
        guard let value = writer.replacingPoints(in: value), JSONSerialization.isValidJSONObject(value),
            let data = try? JSONSerialization.data(
                withJSONObject: value, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        else { return "null" }
        return String(decoding: writer.spliced(into: Array(data)), as: UTF8.self)
    }

    static func parse(_ text: String) -> Any {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) ?? text
    }
}
