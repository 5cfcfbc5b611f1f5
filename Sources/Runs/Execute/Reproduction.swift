import Foundation
import Notebook

/// Re-running a recorded run and proving its results the same (DESIGN §7 `reproduce`).
public enum Reproduction {
    /// The plan of a recorded run: its notebook text as recorded, its parameters as recorded.
    public static func plan(of run: RunRecord, in project: Project) -> Result<RunPlan, DiagnosticList> {
        plan(of: run, notebookPath: project.root.appendingPathComponent(run.notebook).path)
    }

    /// The plan of a recorded run as if its notebook stood at `notebookPath`: its data files are looked up
    /// from that directory. For a run that came out of a report, which may be far from the notebook.
    public static func plan(of run: RunRecord, notebookPath path: String) -> Result<RunPlan, DiagnosticList> {
        let (notebook, diagnostics) = NotebookChecker.check(run.notebookSource, path: path)
        if diagnostics.hasErrors { return .failure(DiagnosticList(diagnostics)) }
        return .success(plan(of: run, notebook: notebook))
    }

    /// The plan of a recorded run over its notebook, already parsed: checked without errors to run it, or
    /// parsed only to show what an old run that recorded no configuration ran with.
    public static func plan(of run: RunRecord, notebook: Notebook) -> RunPlan {
        var values = notebook.defaultValues
        var overridden: Set<String> = []
        for recorded in run.parameters {
            guard let declared = notebook.parameters.first(where: { $0.name == recorded.name }),
                let value = parameterValue(recorded.value, as: declared.type)
            else { continue }
            values[recorded.name] = value
            if recorded.overridden { overridden.insert(recorded.name) }
        }
        return RunPlan(notebook: notebook, parameters: values, overridden: overridden)
    }

    /// A recorded value (JSON text) read back as the declared type.
    static func parameterValue(_ text: String, as type: ParameterType) -> ParameterValue? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) else {
            return nil
        }
        return value(object, as: type)
    }

    private static func value(_ object: Any, as type: ParameterType) -> ParameterValue? {
        switch type {
        case .integer: return (object as? NSNumber).map { .int($0.intValue) }
        case .float: return (object as? NSNumber).map { .double($0.doubleValue) }
        case .boolean: return (object as? Bool).map(ParameterValue.bool)
        case .string: return (object as? String).map(ParameterValue.string)
        case .list(let element):
            guard let items = object as? [Any] else { return nil }
            let values = items.compactMap { value($0, as: element) }
            return values.count == items.count ? .list(values) : nil
        }
    }

    /// Every way `reproduced` differs from `original`: data hashes, metrics (bit-equal, or within
    /// `tolerance` relative), series point by point, and the run's status; then, if any, whether the two
    /// ran on different BLAS kernels, which explains differences in the last bits. `seriesDigests` stand for the
    /// original's series when it carries only their digests (a run read from a report).
    public static func differences(
        _ original: RunRecord, _ reproduced: RunRecord, tolerance: Double?, seriesDigests: [SeriesDigest]? = nil
    ) -> [String] {
        var found: [String] = []
        if reproduced.status != .succeeded {
            let failed = reproduced.steps.first { $0.status == .failed }
            found.append(
                "the reproduction \(reproduced.status.rawValue)"
                    + (failed.map { " at step '\($0.name)': \($0.error ?? "")" } ?? ""))
        }
        for dataset in original.datasets {
            guard let now = reproduced.datasets.first(where: { $0.step == dataset.step && $0.path == dataset.path })
            else {
                if reproduced.status == .succeeded { found.append("data file '\(dataset.path)' was not read") }
                continue
            }
            if now.sha256 != dataset.sha256 {
                found.append(
                    "data file '\(dataset.path)' (step '\(dataset.step)') changed content: sha256 \(dataset.sha256.prefix(12))… → \(now.sha256.prefix(12))…"
                )
            }
        }
        for metric in original.metrics {
            guard let now = reproduced.metrics.first(where: { $0.name == metric.name }) else {
                if reproduced.status == .succeeded { found.append("metric \(metric.name) was not recorded") }
                continue
            }
            if let was = metric.value, let value = now.value {
                if !equal(was, value, tolerance) {
                    found.append("metric \(metric.name): \(was) → \(value) (difference \(value - was))")
                }
            } else if metric.json != now.json {
                found.append("metric \(metric.name) differs")
            }
        }
        for artifact in original.artifacts {
            guard let now = reproduced.artifacts.first(where: { $0.step == artifact.step && $0.name == artifact.name })
            else {
                if reproduced.status == .succeeded {
                    found.append("artifact '\(artifact.name)' (step '\(artifact.step)') was not written")
                }
                continue
            }
            if now.sha256 != artifact.sha256 {
                found.append(
                    "artifact '\(artifact.name)' (step '\(artifact.step)') changed content: sha256 \(artifact.sha256.prefix(12))… → \(now.sha256.prefix(12))…"
                )
            }
        }
        for series in original.series {
            guard let now = reproduced.series.first(where: { $0.name == series.name }) else { continue }
            let same =
                now.points.count == series.points.count
                && zip(now.points, series.points).allSatisfy {
                    $0.index == $1.index && equal($1.value, $0.value, tolerance)
                }
            if !same { found.append("series \(series.name) differs") }
        }
        for digest in seriesDigests ?? [] {
            guard let now = reproduced.series.first(where: { $0.name == digest.name }) else { continue }
            let same: Bool
            if tolerance == nil {
                same = SeriesDigest(now).sha256 == digest.sha256
            } else {
                same =
                    now.points.count == digest.count
                    && now.points.last.map { point in
                        digest.last.map { $0.index == point.index && equal($0.value, point.value, tolerance) } ?? false
                    } ?? (digest.last == nil)
            }
            if !same { found.append("series \(digest.name) differs") }
        }
        if !found.isEmpty, let was = original.environment.blasKernel, let now = reproduced.environment.blasKernel,
            was.name != now.name
        {
            // Two kernels round differently: that alone changes the last bits of every product.
            found.append("different BLAS kernel (recorded \(was.name), now \(now.name))")
        }
        return found
    }

    /// What could not be compared because the original run did not finish: the steps the reproduction ran that
    /// the original never completed. Empty for a run that succeeded.
    public static func uncompared(_ original: RunRecord, _ reproduced: RunRecord) -> [String] {
        guard original.status != .succeeded else { return [] }
        let completed = Set(original.steps.filter { $0.status == .succeeded }.map(\.name))
        let unfinished = reproduced.steps.map(\.name).filter { !completed.contains($0) }.map { "'\($0)'" }
        guard !unfinished.isEmpty else {
            return ["the original run \(original.status.rawValue), so it may lack results to compare"]
        }
        return [
            "the original run \(original.status.rawValue) before step\(unfinished.count == 1 ? "" : "s") "
                + "\(unfinished.joined(separator: ", ")) recorded results, so those could not be compared"
        ]
    }

    static func equal(_ a: Double, _ b: Double, _ tolerance: Double?) -> Bool {
        guard let tolerance else { return a.bitPattern == b.bitPattern }
        return abs(a - b) <= tolerance * max(abs(a), abs(b), 1e-300) || a == b
    }
}
