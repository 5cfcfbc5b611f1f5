import Foundation
import Notebook
import Runs

/// The values the templates read, built from a run record and its notebook's source. Every string here is
/// plain text that the templates escape (`{{…}}`); the few that are HTML already (`html`, `svg`, `css`,
/// `manifest`) are built by this module from escaped parts and placed with `{{{…}}}`.
///
/// The page shows what the run recorded, never what today's checker makes of its notebook: each step's
/// configuration as it ran (`StepRecord.configuration`). The recorded source is only parsed, for its prose
/// and blocks. A step without a recorded configuration (a run recorded before steps kept it, or a step a
/// running run has not reached) shows it resolved from that parse with the recorded parameters; a source
/// that no longer parses is shown as Markdown, whole.
struct ReportContext {
    let run: RunRecord
    let notebook: Notebook?
    /// What each step ran with, by name: as recorded, or, for an old run, resolved from its source.
    let configurations: [String: (op: String, configuration: StepConfiguration)]
    private(set) var diagnostics: [Diagnostic] = []
    /// The notebook's headings and steps for the table of contents, filled in by `document()`.
    private(set) var contents: [[String: Any]] = []

    init(run: RunRecord) {
        self.run = run
        let parsed = NotebookParser.parse(run.notebookSource, path: run.notebook)
        notebook = parsed.diagnostics.hasErrors ? nil : parsed.notebook
        var configurations: [String: (op: String, configuration: StepConfiguration)] = [:]
        if let notebook {
            for step in Reproduction.plan(of: run, notebook: notebook).steps {
                configurations[step.name] = (step.op, StepConfiguration(step))
            }
        }
        for step in run.steps {
            if let recorded = step.configuration { configurations[step.name] = (step.op, recorded) }
        }
        self.configurations = configurations
    }

    // MARK: Head of the page

    func summary(reportName: String) -> [String: Any] {
        let environment = run.environment
        let failed = run.steps.first { $0.status == .failed }
        let statusText: String
        switch run.status {
        case .succeeded: statusText = "Succeeded"
        case .failed: statusText = failed.map { "Failed at step '\($0.name)'" } ?? "Failed"
        case .interrupted: statusText = "Interrupted"
        case .queued: statusText = "Queued (waiting for the cluster to start it)"
        case .running: statusText = "Running (not finished)"
        case .abandoned: statusText = "Abandoned (its process ended without finishing the run)"
        }
        let hits = run.steps.filter { $0.cache == .hit }.count
        let computed = run.steps.filter { $0.cache == .miss && $0.status == .succeeded }.count
        let notRun = run.steps.filter { $0.status == .notRun }.count
        var stepsText = "\(run.steps.count) steps: \(hits) from the cache, \(computed) computed"
        if failed != nil { stepsText += ", 1 failed" }
        if notRun > 0 { stepsText += ", \(notRun) not run" }
        let title = run.title ?? URL(fileURLWithPath: run.notebook).deletingPathExtension().lastPathComponent
        var values: [String: Any] = [
            "id": run.id,
            "title": title,
            "status": run.status.rawValue,
            "statusText": statusText,
            "notebook": run.notebook,
            "notebookSHA256": run.notebookSHA256,
            "started": Format.date(run.started),
            "startedISO": Format.iso(run.started),
            "duration": run.finished.map { Format.seconds($0.timeIntervalSince(run.started)) } ?? "not finished",
            "stepsText": stepsText,
            "toolVersion": environment.toolVersion,
            "engineVersion": environment.engineVersion,
            "os": environment.os,
            "cpu": environment.cpuModel,
            "cores": environment.cores,
            "command": run.command.map(Self.shellQuoted).joined(separator: " "),
            "reportName": Self.shellQuoted(reportName),
        ]
        values["failedStep"] = run.status == .failed ? failed?.name : nil
        values["statusReason"] = run.status == .failed ? Self.headline(failed?.error) : ""
        values["lede"] = notebook?.frontMatter.description
        values["tags"] = run.tags.sorted { $0.key < $1.key }.map { ["name": $0.key, "value": $0.value] }
        values["hasTags"] = !run.tags.isEmpty
        values["note"] = run.note
        values["scheduler"] = run.job?.summary
        values["gitCommit"] = environment.gitCommit
        values["gitDirty"] = environment.gitDirty == true
        values["blasKernel"] = environment.blasKernel?.description
        let parameters = self.parameters()
        values["parameters"] = parameters
        values["hasParameters"] = !parameters.isEmpty
        values["datasets"] = run.datasets.map { dataset -> [String: Any] in
            [
                "step": dataset.step, "path": dataset.path, "sha256": dataset.sha256,
                "rows": Format.count(dataset.rows), "columns": Format.count(dataset.columns),
                "bytes": Format.count(dataset.bytes),
            ]
        }
        values["hasDatasets"] = !run.datasets.isEmpty
        values.merge(results()) { _, new in new }
        return values
    }

    /// `: ` and the first line of a step's error (with the next when the first only introduces it, as in
    /// `…; the end of its standard error:`), cut at a length a badge can hold.
    static func headline(_ error: String?) -> String {
        let lines = (error ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard var text = lines.first else { return "" }
        if text.hasSuffix(":"), lines.count > 1 { text += " " + lines[1] }
        return ": " + (text.count > 160 ? String(text.prefix(159)) + "…" : text)
    }

    private func parameters() -> [[String: Any]] {
        let declared = notebook?.parameters ?? []
        return run.parameters.map { parameter in
            var values: [String: Any] = [
                "name": parameter.name, "value": parameter.value, "overridden": parameter.overridden,
            ]
            values["description"] = declared.first { $0.name == parameter.name }?.description
            return values
        }
    }

    // MARK: The document

    /// The notebook in order: prose as HTML, each `params` block with this run's values, each step with
    /// its results. A notebook that no longer parses is shown as Markdown, whole.
    mutating func document() -> [[String: Any]] {
        guard let notebook else {
            return [["prose": ["html": MarkdownHTML.render(run.notebookSource)]]]
        }
        var prose = ProseRenderer(notebook: notebook, values: RecordedValues(run))
        var outline = Outline(reserved: Self.sectionIDs, steps: notebook.steps.map(\.name))
        var blocks: [[String: Any]] = []
        for block in notebook.blocks {
            switch block {
            case .prose(let text):
                blocks.append(["prose": ["html": outline.anchorHeadings(prose.render(text))]])
            case .params(let params):
                let items = params.parameters.map { parameter -> [String: Any] in
                    let recorded = run.parameters.first { $0.name == parameter.name }
                    var item: [String: Any] = [
                        "name": parameter.name, "value": recorded?.value ?? "",
                        "overridden": recorded?.overridden ?? false,
                    ]
                    item["description"] = parameter.description
                    return item
                }
                blocks.append(["params": ["items": items]])
            case .step(let step):
                let values = self.step(step)
                outline.add(
                    step: step.name, op: values["op"] as? String ?? "", status: values["status"] as? String ?? "")
                blocks.append(["step": values])
            }
        }
        diagnostics += prose.diagnostics
        contents = outline.items
        return blocks
    }

    /// The ids of the page's own sections, which a heading of the notebook does not take.
    static let sectionIDs = ["contents", "results", "parameters", "data", "document", "athanor-manifest"]

    private func step(_ block: StepBlock) -> [String: Any] {
        let record =
            run.steps.first { $0.name == block.name }
            ?? StepRecord(name: block.name, op: "", cacheKey: "", cache: nil, seconds: 0, status: .notRun)
        let ran = configurations[block.name]
        var values: [String: Any] = [
            "name": block.name,
            "status": record.status.rawValue,
            "failed": record.status == .failed,
            "notRun": record.status == .notRun,
            "seconds": record.status == .notRun ? "–" : Format.seconds(record.seconds),
        ]
        values["op"] = operationLabel(ran?.op ?? record.op, ran?.configuration)
        values["cache"] = record.status == .notRun ? nil : record.cache?.rawValue
        values["error"] = record.error
        values["explanation"] = record.cache == .miss ? record.explanation : nil
        values["log"] = record.log.flatMap { $0.isEmpty ? nil : $0 }
        values["description"] = ran?.configuration.description
        values["configuration"] = ran?.configuration.text ?? block.bodyText
        let kind = OperationKind(recorded: record.op)
        let openFirst = kind == .load || kind == .synthetic
        values["previews"] = record.previews.enumerated().map { offset, preview in
            Self.preview(preview, open: openFirst && offset == 0)
        }
        let prefix = "\(block.name)."
        let metrics = run.metrics.filter { $0.name.hasPrefix(prefix) }
        values["charts"] = charts(step: block.name, kind: kind) + Self.charts(of: metrics)
        let scalars = metrics.compactMap { metric -> [String: Any]? in
            guard let value = metric.value else { return nil }
            return ["name": metric.name, "value": Format.number(value), "exact": Format.exact(value)]
        }
        values["metrics"] = scalars
        values["hasMetrics"] = !scalars.isEmpty
        values["matrices"] = metrics.compactMap { metric -> [String: Any]? in
            guard metric.value == nil, let json = metric.json, let matrix = Self.matrix(json) else { return nil }
            let map = HeatMap(title: metric.name, labels: matrix.labels, cells: matrix.cells)
            return ["svg": map.svg(), "caption": "\(metric.name): rows are true classes, columns predicted ones"]
        }
        values["classTables"] = metrics.compactMap { metric -> [String: Any]? in
            guard metric.value == nil, let json = metric.json else { return nil }
            return Self.perClass(json).map { ["name": metric.name, "rows": $0] }
        }
        let artifacts = run.artifacts.filter { $0.step == block.name }
        values["artifacts"] = artifacts.map { artifact -> [String: Any] in
            ["name": artifact.name, "size": Format.count(artifact.size), "sha256": artifact.sha256]
        }
        values["hasArtifacts"] = !artifacts.isEmpty
        values["code"] = block.code.map(Self.code)
        values["figures"] = run.figures.filter { $0.step == block.name }.map(Self.figure)
        return values
    }

    /// A code step's code, each line with its notebook line number, for `<pre>`.
    static func code(_ code: CodeBody) -> [String: Any] {
        var lines = code.text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return [
            "language": code.language.rawValue,
            "lines": lines.enumerated().map { offset, text in
                ["number": code.firstLine + offset, "text": text] as [String: Any]
            },
        ]
    }

    /// An image a step made: embedded as a `data:` URI, or a note saying why it is not.
    static func figure(_ figure: FigureRecord) -> [String: Any] {
        var values: [String: Any] = ["name": figure.name, "size": figure.sizeText]
        if let bytes = figure.bytes {
            values["source"] = "data:\(figure.mediaType);base64," + Data(bytes).base64EncodedString()
        }
        values["missing"] = figure.whyNotKept
        return values
    }

    /// `command`, `load`, or with the setting the operation's keys depend on, `train · mlp`.
    private func operationLabel(_ op: String, _ configuration: StepConfiguration?) -> String {
        if OperationKind(recorded: op) == .command { return "command" }
        return configuration?.variant.map { "\(op) · \($0)" } ?? op
    }

    /// A confusion matrix recorded as `{"labels": [...], "matrix": [[...]]}`.
    private static func matrix(_ json: String) -> (labels: [String], cells: [[Double]])? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
            let labels = object["labels"] as? [Any], let rows = object["matrix"] as? [[Any]]
        else { return nil }
        let names = labels.map { "\($0)" }
        let cells = rows.map { row in row.map { ($0 as? NSNumber)?.doubleValue ?? .nan } }
        guard cells.count == names.count, cells.allSatisfy({ $0.count == names.count }) else { return nil }
        return (names, cells)
    }

    /// The rows of a per-class table recorded as `{"labels", "precision", "recall", "f1", "support"}`.
    private static func perClass(_ json: String) -> [[String: Any]]? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
            let labels = object["labels"] as? [Any], let support = object["support"] as? [NSNumber],
            let precision = object["precision"] as? [NSNumber], let recall = object["recall"] as? [NSNumber],
            let f1 = object["f1"] as? [NSNumber],
            [support.count, precision.count, recall.count, f1.count].allSatisfy({ $0 == labels.count })
        else { return nil }
        return labels.indices.map { index in
            [
                "label": "\(labels[index])", "precision": Format.number(precision[index].doubleValue),
                "recall": Format.number(recall[index].doubleValue), "f1": Format.number(f1[index].doubleValue),
                "support": Format.count(support[index].intValue),
            ]
        }
    }

    /// A word as a POSIX shell reads it back: bare when safe, else in single quotes.
    static func shellQuoted(_ word: String) -> String { ShellQuote.quoted(word) }
}
