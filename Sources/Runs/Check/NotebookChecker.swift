import Engine
import Foundation
import Notebook

/// Checks a parsed notebook against the engine's operation schemas: every step's keys, types and
/// ranges, its references to earlier steps' outputs, the metrics that inline results name, and the syntax
/// of its python steps.
/// With the parser's own findings, this is everything `athanor check` and `athanor run` verify
/// before anything runs.
public struct NotebookChecker {
    /// Parses and checks `source`; diagnostics in file order.
    ///
    /// - Parameters:
    ///   - dataDirectory: where the notebook's relative data paths start (its own
    ///     directory); given, every `load` step's file must exist and its header hold the columns
    ///     the step names. Nil for a notebook read back from a record, whose data may be long gone.
    ///   - checkedCode: python code compiled before without error, which is not compiled again (`run`).
    public static func check(
        _ source: String, path: String, dataDirectory: URL? = nil, checkedCode: CheckedCode? = nil
    ) -> (notebook: Notebook, diagnostics: [Diagnostic]) {
        let parsed = NotebookParser.parse(source, path: path)
        return (parsed.notebook, check(parsed, dataDirectory: dataDirectory, checkedCode: checkedCode))
    }

    /// The parser's diagnostics with the checker's, in file order.
    public static func check(_ parsed: ParsedNotebook, dataDirectory: URL? = nil, checkedCode: CheckedCode? = nil)
        -> [Diagnostic]
    {
        var checker = NotebookChecker(notebook: parsed.notebook, dataDirectory: dataDirectory)
        checker.checkSteps()
        checker.checkInlineResults()
        let code = CodeSyntax.check(parsed.notebook, checked: checkedCode)
        return (parsed.diagnostics + checker.diagnostics + code).sortedByLocation()
    }

    /// The checker's own findings (not the parser's) for `notebook` run with `parameters`: a value set on the
    /// command line (`-p`, `--sweep`) or read from a report must pass the checks a value written in the
    /// notebook passes.
    public static func check(
        _ notebook: Notebook, parameters: [String: ParameterValue], dataDirectory: URL? = nil
    ) -> [Diagnostic] {
        var checker = NotebookChecker(notebook: notebook, parameters: parameters, dataDirectory: dataDirectory)
        checker.checkSteps()
        checker.checkInlineResults()
        return checker.diagnostics.sortedByLocation()
    }

    /// The metrics each step of `notebook` records (`accuracy`, `loss`…), by step name; nil for a step that
    /// may record any name (a command) or that does not check out. For choosing a sweep's objective before
    /// anything runs.
    public static func recordedMetrics(of notebook: Notebook) -> [String: [String]?] {
        var checker = NotebookChecker(notebook: notebook, dataDirectory: nil)
        checker.checkSteps()
        return checker.summaries.mapValues { $0.isKnown ? $0.metrics : nil }
    }

    private let notebook: Notebook
    private let parameters: [String: ParameterValue]
    private let dataDirectory: URL?
    /// The `outputs:` of the command steps so far, as written: files that need not exist yet.
    private var commandOutputs: [String] = []
    private var summaries: [String: StepSummary] = [:]
    private var diagnostics: [Diagnostic] = []

    private init(notebook: Notebook, parameters: [String: ParameterValue]? = nil, dataDirectory: URL?) {
        self.notebook = notebook
        self.parameters = parameters ?? notebook.defaultValues
        self.dataDirectory = dataDirectory
    }

    private mutating func error(
        _ message: String, at location: SourceLocation, suggestion: String? = nil, notes: [String] = []
    ) {
        diagnostics.append(.error(message, file: notebook.path, at: location, suggestion: suggestion, notes: notes))
    }

    // MARK: Steps

    private mutating func checkSteps() {
        for step in notebook.steps {
            let configuration = step.configuration(with: parameters)
            var summary = StepSummary(name: step.name, line: step.lines.first, outputs: [:], metrics: [], isKnown: true)
            defer { summaries[step.name] = summary }
            guard let entries = configuration.entries else { continue }
            let kind: OperationKind
            if let code = step.code {
                kind = .code(code.language)
                summary.metrics = nil
            } else if configuration["run"] != nil {
                guard configuration["op"] == nil else {
                    summary.isKnown = false
                    continue
                }
                kind = .command
                summary.metrics = nil
            } else if let op = configuration.entry("op") {
                guard let name = op.value.string, let found = OperationKind(op: name) else {
                    let names = OperationKind.operations.map(\.name)
                    error(
                        "unknown operation \(describe(op.value)) in step '\(step.name)'; operations are \(names.joined(separator: ", "))",
                        at: op.value.location,
                        suggestion: op.value.string.flatMap { Suggestion.closest(to: $0, in: names) })
                    summary.isKnown = false
                    summary.metrics = nil
                    continue
                }
                kind = found
            } else {
                summary.isKnown = false
                continue
            }
            check(step, configuration, entries, as: kind, into: &summary)
        }
    }

    private mutating func check(
        _ step: StepBlock, _ configuration: ConfigNode, _ entries: [ConfigEntry], as kind: OperationKind,
        into summary: inout StepSummary
    ) {
        let schema = kind.schema
        let context =
            switch kind {
            case .command: "command step '\(step.name)'"
            case .code(let language): "\(language.rawValue) step '\(step.name)'"
            case .load, .synthetic, .split, .preprocess, .train, .evaluate, .predict:
                "step '\(step.name)' (op: \(kind.name))"
            }
        var variant: Variants.Variant?
        var settings = schema.settings
        if let variants = schema.variants {
            if let value = configuration[variants.key]?.string,
                let found = variants.cases.first(where: { $0.name == value })
            {
                variant = found
                settings = schema.settings(forVariant: value)
            } else {
                // The variant key itself is reported below; accept any variant's keys meanwhile.
                for item in variants.cases {
                    settings += item.settings.filter { spec in !settings.contains { $0.name == spec.name } }
                }
            }
        }
        let allowed = [kind.keyword].compactMap { $0 } + settings.map(\.name) + Operations.commonSettings.map(\.name)
        var seen: Set<String> = []
        for entry in entries {
            seen.insert(entry.key)
            // `op:` names the operation (checked above); a command's `run:` is a setting like any other.
            if entry.key == "op", kind.keyword == "op" { continue }
            guard let spec = (settings + Operations.commonSettings).first(where: { $0.name == entry.key }) else {
                var message = "unknown key '\(entry.key)' in \(context)"
                if let variant,
                    let other = schema.variants?.cases.first(where: { $0.settings.contains { $0.name == entry.key } })
                {
                    message =
                        "'\(entry.key)' is a setting of model '\(other.name)', not of model '\(variant.name)', in \(context)"
                }
                error(message, at: entry.keyLocation, suggestion: Suggestion.closest(to: entry.key, in: allowed))
                continue
            }
            if entry.key == "resources" {
                for problem in StepResources.read(entry.value).problems {
                    error(problem.message, at: problem.location, suggestion: problem.suggestion)
                }
                continue
            }
            checkValue(entry.value, spec.type, key: entry.key, in: configuration, summary: &summary)
        }
        for spec in settings where spec.isRequired && !seen.contains(spec.name) {
            error("\(context) needs '\(spec.name)': \(spec.summary)", at: step.location)
        }
        checkConstraints(schema.constraints, configuration, settings: settings, step: step, context: context)
        if kind == .load, let dataDirectory {
            checkData(configuration, in: dataDirectory)
        }
        if case .code = kind { checkProduces(configuration["produces"]) }
        if kind.runsUserCode, case .list(let items)? = configuration["outputs"]?.value {
            commandOutputs += items.compactMap(\.string)
        }
        record(schema, variant: variant, configuration, into: &summary)
    }

    /// A code step's `produces:` names outputs as `STEP.NAME`: each spelt as an output name, once.
    private mutating func checkProduces(_ node: ConfigNode?) {
        guard case .list(let items)? = node?.value else { return }
        var seen: Set<String> = []
        for item in items {
            guard let name = item.string else { continue }
            if !Identifier.isStepName(name) {
                error(
                    "'\(name)' cannot name an output: use lowercase letters, digits, '_' and '-', starting with a letter",
                    at: item.location)
            } else if !seen.insert(name).inserted {
                error("'produces' lists '\(name)' twice", at: item.location)
            }
        }
    }

    // MARK: Data

    /// A `load` step's file exists and its header has the columns that `target`, `columns` and
    /// `drop` name; only the header is read. Values the schema already rejected are left alone.
    private mutating func checkData(_ configuration: ConfigNode, in directory: URL) {
        guard let pathNode = configuration["path"], let path = pathNode.string, !path.isEmpty, !path.contains("${")
        else { return }
        var delimiter: Character?
        if let node = configuration["delimiter"] {
            guard let text = node.string, text.count == 1 || text == "\\t" else { return }
            delimiter = text == "\\t" ? "\t" : text.first
        }
        let file = URL(fileURLWithPath: path, relativeTo: directory).standardizedFileURL.path
        // A file an earlier command writes is checked when it has been written, at run time.
        if isCommandOutput(file, in: directory) { return }
        let options = Load.Options(path: file, delimiter: delimiter)
        let header: [String]
        do {
            guard let names = try Load.header(of: options) else { return }
            header = names
        } catch let problem as EngineError {
            if problem.message == "no such file" {
                missingFile(path, at: pathNode.location, resolved: file)
            } else {
                error("\(path): \(problem.message)", at: pathNode.location)
            }
            return
        } catch {
            self.error("\(path): \(error)", at: pathNode.location)
            return
        }
        var named: [(setting: String, node: ConfigNode)] = []
        if let target = configuration["target"], target.string != nil { named.append(("target", target)) }
        for setting in ["columns", "drop"] {
            guard case .list(let items)? = configuration[setting]?.value else { continue }
            named += items.filter { $0.string != nil }.map { (setting, $0) }
        }
        for (setting, node) in named {
            guard let name = node.string, !name.contains("${"), !header.contains(name) else { continue }
            let problem = EngineError.unknownColumn(name, setting: setting, among: header)
            error("\(path): \(problem.message)", at: node.location)
        }
    }

    /// Whether an earlier command step's `outputs:` names the file at `path` (absolute), as a path,
    /// a directory holding it or a glob; globs match loosely (`*` across `/`), to err on the side of
    /// not checking.
    private func isCommandOutput(_ path: String, in directory: URL) -> Bool {
        commandOutputs.contains { output in
            let pattern = URL(fileURLWithPath: output, relativeTo: directory).standardizedFileURL.path
            if FilePattern.isGlob(output) { return fnmatch(pattern, path, 0) == 0 }
            return path == pattern || path.hasPrefix(pattern.hasSuffix("/") ? pattern : pattern + "/")
        }
    }

    /// A data file that is not there, with the closest name in the directory it was looked for in.
    private mutating func missingFile(_ path: String, at location: SourceLocation, resolved: String) {
        let parent = (resolved as NSString).deletingLastPathComponent
        let name = (resolved as NSString).lastPathComponent
        let siblings = (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
        let suggestion = Suggestion.closest(to: name, in: siblings.filter { !$0.hasPrefix(".") }.sorted()).map {
            ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent($0)
        }
        let place = path.hasPrefix("/") ? "" : " (paths are relative to the notebook's directory)"
        error("`path` names no file '\(path)'\(place)", at: location, suggestion: suggestion)
    }

    private mutating func checkConstraints(
        _ constraints: [Constraint], _ configuration: ConfigNode, settings: [SettingSpec], step: StepBlock,
        context: String
    ) {
        for constraint in constraints {
            switch constraint {
            case .sumBelow(let keys, let limit):
                let present = keys.compactMap { key -> (String, Double, ConfigNode)? in
                    guard let node = configuration[key], let value = number(node.value) else { return nil }
                    return (key, value, node)
                }
                let total = present.reduce(0) { $0 + $1.1 }
                if present.count > 1, total >= limit, let first = present.first {
                    error(
                        "\(present.map { "'\($0.0)'" }.joined(separator: " and ")) add up to \(total); together they must stay below \(limit)",
                        at: first.2.location)
                }
            case .atLeastOne(let keys):
                if !keys.contains(where: { configuration[$0] != nil }) {
                    error(
                        "\(context) does nothing: give at least one of \(keys.joined(separator: ", "))",
                        at: step.location)
                }
            case .requires(let key, let other):
                if let entry = configuration.entry(key), configuration[other] == nil {
                    error("'\(key)' does nothing without '\(other)' in \(context)", at: entry.keyLocation)
                }
            case .exactlyWhen(let key, let setting, let value):
                let chosen = configuration[setting]
                let entry = configuration.entry(key)
                if let chosen, chosen.string == value, entry == nil {
                    error("\(setting) '\(value)' needs '\(key)' in \(context)", at: chosen.location)
                } else if let entry, chosen?.string != value {
                    if let other = chosen?.string {
                        // An unknown value is reported by its own check.
                        if case .choice(let values)? = settings.first(where: { $0.name == setting })?.type,
                            !values.contains(other)
                        {
                            continue
                        }
                        error(
                            "'\(key)' goes with \(setting) '\(value)', not '\(other)', in \(context)",
                            at: entry.keyLocation)
                    } else {
                        error(
                            "'\(key)' goes with \(setting) '\(value)'; add '\(setting): \(value)' in \(context)",
                            at: entry.keyLocation)
                    }
                }
            }
        }
    }

    private func number(_ value: ConfigValue) -> Double? {
        switch value {
        case .int(let number): Double(number)
        case .double(let number): number
        default: nil
        }
    }

    /// What the step gives later steps and inline results.
    private mutating func record(
        _ schema: OperationSchema, variant: Variants.Variant?, _ configuration: ConfigNode,
        into summary: inout StepSummary
    ) {
        summary.classes = targetClasses(schema, configuration)
        switch schema.outputs {
        case .dataset:
            summary.outputs[nil] = .dataset
        case .model:
            summary.outputs[nil] = .model
            summary.task = variant?.task
            if let task = variant?.task {
                // Boosting scores held-out rows too when it stops early, which `auto` may do.
                let stopping = configuration["early_stopping"]?.value
                let validates =
                    variant?.name == GradientBoosting.variant.name
                    ? configuration["validation"]?.string != nil
                        || (stopping != .bool(false) && stopping != .string("false"))
                    : configuration["validation"] != nil
                // A tree and a forest record no series: they are grown, not trained by iterations.
                let grown = [Forest.treeVariant.name, Forest.forestVariant.name].contains(variant?.name ?? "")
                summary.metrics = grown ? [] : TrainingSeries.names(for: task, withValidation: validates)
            } else {
                summary.metrics = nil
            }
        case .metrics:
            if let listed = configuration["metrics"], case .list(let items) = listed.value {
                summary.metrics = items.compactMap(\.string)
            } else if let task = modelTask(configuration["model"]) {
                summary.metrics = Metric.defaults(for: task).map(\.rawValue)
            } else {
                summary.metrics = nil
            }
        case .artifact:
            break
        case .datasets(let always, let conditional):
            for name in always { summary.outputs[name] = .dataset }
            for (output, setting) in conditional {
                if let value = configuration[setting], let amount = number(value.value), amount > 0 {
                    summary.outputs[output] = .dataset
                }
            }
        case .datasetsKeyedBy(let setting):
            for entry in configuration[setting]?.entries ?? [] { summary.outputs[entry.key] = .dataset }
        case .datasetsListedIn(let setting):
            guard case .list(let items)? = configuration[setting]?.value else { break }
            for name in items.compactMap(\.string) where Identifier.isStepName(name) {
                summary.outputs[name] = .dataset
            }
        }
    }

    // MARK: Values

    private mutating func checkValue(
        _ node: ConfigNode, _ type: SettingType, key: String, in configuration: ConfigNode, summary: inout StepSummary
    ) {
        // A value still holding an unknown `${name}` has been reported by the parser.
        if case .string(let text) = node.value, text.contains("${") {
            if case .text = type { return }
            if case .character = type { return }
            return
        }
        func mismatch(_ extra: String = "") {
            error("'\(key)' must be \(type.description), not \(describe(node))\(extra)", at: node.location)
        }
        switch type {
        case .integer(let bounds):
            guard case .int(let value) = node.value else { return mismatch() }
            if !bounds.contains(value) { mismatch() }
        case .number(let bounds):
            guard let value = number(node.value), value.isFinite else { return mismatch() }
            if !bounds.contains(value) { mismatch() }
        case .boolean:
            guard case .bool = node.value else { return mismatch() }
        case .text:
            switch node.value {
            case .string, .int, .double: break
            default: mismatch()
            }
        case .character:
            guard let text = node.string, text.count == 1 || text == "\\t" else { return mismatch() }
        case .choice(let values):
            // `true` and `false` read as booleans in YAML; a choice that lists them takes them as written.
            let written: String? =
                if case .bool(let flag) = node.value { String(flag) } else { node.string }
            guard let text = written, values.contains(text) else {
                error(
                    "'\(key)' must be \(type.description), not \(describe(node))", at: node.location,
                    suggestion: node.string.flatMap { Suggestion.closest(to: $0, in: values) })
                return
            }
        case .list(let element, let minimumCount):
            guard case .list(let items) = node.value else { return mismatch() }
            if items.count < minimumCount { return mismatch() }
            for item in items { checkValue(item, element, key: key, in: configuration, summary: &summary) }
        case .dataset, .model:
            checkReference(node, key: key, expecting: type)
        case .choiceOr(let values, let other):
            if let text = node.string {
                guard values.contains(text) else {
                    error(
                        "'\(key)' must be \(type.description), not \(describe(node))", at: node.location,
                        suggestion: Suggestion.closest(to: text, in: values))
                    return
                }
            } else if case .number(let bounds) = other {
                guard let value = number(node.value), value.isFinite, bounds.contains(value) else { return mismatch() }
            } else {
                checkValue(node, other, key: key, in: configuration, summary: &summary)
            }
        case .datasetOr(let other):
            if case .string = node.value {
                checkReference(node, key: key, expecting: .dataset)
            } else if case .number(let bounds) = other {
                guard let value = number(node.value), value.isFinite, bounds.contains(value) else { return mismatch() }
            } else {
                checkValue(node, other, key: key, in: configuration, summary: &summary)
            }
        case .columns:
            if node.string == "all" { return }
            guard case .list(let items) = node.value, !items.isEmpty, items.allSatisfy({ $0.string != nil }) else {
                return mismatch()
            }
        case .datasets:
            guard let entries = node.entries, !entries.isEmpty else { return mismatch() }
            for entry in entries {
                if !Identifier.isStepName(entry.key) {
                    error(
                        "'\(entry.key)' cannot name an output: use lowercase letters, digits, '_' and '-'",
                        at: entry.keyLocation)
                }
                checkReference(entry.value, key: "\(key).\(entry.key)", expecting: .dataset)
            }
        case .metrics:
            guard case .list(let items) = node.value, !items.isEmpty else { return mismatch() }
            let task = modelTask(configuration["model"])
            // Offer only what applies to the model: a typo of `accuracy` is not answered with `mae`.
            let names = (task.map(Metric.valid(for:)) ?? Metric.allCases).map(\.rawValue)
            let kind = task.map { " for a \($0.names.joined(separator: " or ")) model" } ?? ""
            var oneClass: [ConfigNode] = []
            defer {
                if let first = oneClass.first {
                    let names = oneClass.compactMap(\.string).map { "'\($0)'" }.joined(separator: ", ")
                    error(
                        "\(oneClass.count == 1 ? "metric" : "metrics") \(names) \(oneClass.count == 1 ? "scores" : "score") "
                            + "one class against the rest: name it with 'positive: CLASS'",
                        at: first.location)
                }
            }
            for item in items {
                guard let name = item.string, let metric = Metric(rawValue: name) else {
                    error(
                        "unknown metric \(describe(item)); metrics\(kind) are \(names.joined(separator: ", "))",
                        at: item.location,
                        suggestion: item.string.flatMap { Suggestion.closest(to: $0, in: names) })
                    continue
                }
                if metric.needsPositiveClass && configuration["positive"] == nil { oneClass.append(item) }
                if metric.needsBinaryTarget, task?.contains(.classification) ?? true,
                    let classes = modelClasses(configuration["model"]), classes > 2
                {
                    let model = configuration["model"]?.string ?? "the model"
                    error(
                        "metric '\(name)' ranks one class against the other and needs a target of two classes, but "
                            + "'\(model)' is trained on \(classes) classes",
                        at: item.location)
                }
                if let task, task.isDisjoint(with: metric.task) {
                    let model = configuration["model"]?.string ?? "the model"
                    error(
                        "metric '\(name)' is for \(metric.task.names.joined(separator: " or ")), but '\(model)' is a \(task.names.joined(separator: " or ")) model",
                        at: item.location)
                }
            }
        case .variables:
            guard let entries = node.entries else { return mismatch() }
            for entry in entries {
                switch entry.value.value {
                case .string, .int, .double, .bool: break
                default:
                    error(
                        "environment variable '\(entry.key)' must be text or a number, not \(describe(entry.value))",
                        at: entry.value.location)
                }
            }
        }
    }

    /// How many classes the target of a step's outputs has, when the notebook says: generated data of a kind
    /// that classifies, and what is split, preprocessed or trained from it.
    private func targetClasses(_ schema: OperationSchema, _ configuration: ConfigNode) -> Int? {
        if schema.name == Synthetic.schema.name {
            switch configuration["kind"]?.string {
            case "moons", "circles": return 2
            case "blobs", "classification":
                guard let node = configuration["classes"] else { return 2 }
                if case .int(let count) = node.value { return count }
                return nil
            default: return nil
            }
        }
        let source = configuration["input"] ?? configuration["fit"]
        guard let text = source?.string, let reference = StepReference(text) else { return nil }
        return summaries[reference.step]?.classes
    }

    /// The number of classes of the model a `model:` value refers to, when the notebook says.
    private func modelClasses(_ node: ConfigNode?) -> Int? {
        guard let text = node?.string, let reference = StepReference(text) else { return nil }
        return summaries[reference.step]?.classes
    }

    /// The task of the model that a `model:` value refers to, if it refers to a known model.
    private func modelTask(_ node: ConfigNode?) -> Engine.Task? {
        guard let text = node?.string, let reference = StepReference(text), let summary = summaries[reference.step]
        else {
            return nil
        }
        return summary.task
    }

    private mutating func checkReference(_ node: ConfigNode, key: String, expecting type: SettingType) {
        let wanted: StepSummary.Kind = if case .model = type { .model } else { .dataset }
        let noun = wanted == .model ? "a model" : "a dataset"
        guard let text = node.string, let reference = StepReference(text) else {
            error(
                "'\(key)' must name \(noun) of an earlier step, as 'STEP' or 'STEP.OUTPUT', not \(describe(node))",
                at: node.location)
            return
        }
        guard let summary = summaries[reference.step] else {
            // The step's body had an error of its own, reported where it is.
            if notebook.unreadableSteps.contains(reference.step) { return }
            if let later = notebook.steps.first(where: { $0.name == reference.step }) {
                error(
                    "'\(key)' refers to step '\(reference.step)', which comes later (line \(later.lines.first)); steps run in document order",
                    at: node.location)
            } else {
                let candidates = summaries.values.filter(\.isKnown).flatMap { summary in
                    summary.outputs.filter { $0.value == wanted }.keys.map {
                        $0.map { "\(summary.name).\($0)" } ?? summary.name
                    }
                }
                error(
                    "'\(key)' refers to unknown step '\(reference.step)'", at: node.location,
                    suggestion: Suggestion.closest(to: text, in: candidates.sorted())
                        ?? Suggestion.closest(to: reference.step, in: summaries.keys.sorted()))
            }
            return
        }
        guard summary.isKnown else { return }
        guard let kind = summary.outputs[reference.output] else {
            let names = summary.outputNames
            if reference.output == nil, !names.isEmpty {
                error(
                    "step '\(reference.step)' has several outputs; name one: \(names.joined(separator: ", "))",
                    at: node.location)
            } else if names.isEmpty {
                error("step '\(reference.step)' produces no data that '\(key)' could use", at: node.location)
            } else {
                error(
                    "step '\(reference.step)' has no output '\(reference.output ?? "")'; it has \(names.joined(separator: ", "))",
                    at: node.location, suggestion: Suggestion.closest(to: text, in: names))
            }
            return
        }
        if kind != wanted {
            error(
                "'\(key)' needs \(noun), but '\(text)' is \(kind == .model ? "a model" : "a dataset")",
                at: node.location)
        }
    }

    private func describe(_ node: ConfigNode) -> String {
        switch node.value {
        case .string(let text): "'\(text.count > 40 ? text.prefix(40) + "…" : Substring(text))'"
        case .int(let number): String(number)
        case .double(let number): String(number)
        case .bool(let flag): String(flag)
        default: node.value.kindDescription
        }
    }

    // MARK: Inline results

    private mutating func checkInlineResults() {
        for result in notebook.inlineResults {
            guard let member = result.member, let summary = summaries[result.subject], summary.isKnown,
                let metrics = summary.metrics
            else { continue }
            if metrics.contains(member) {
                if let metric = Metric(rawValue: member), !metric.isScalar {
                    error(
                        "inline result `=\(result.expression)`: '\(member)' is a \(metric.shape), not a number; "
                            + "the report shows it under step '\(result.subject)'",
                        at: result.location)
                }
                continue
            }
            if metrics.isEmpty {
                error(
                    "inline result `=\(result.expression)`: step '\(result.subject)' records no metrics",
                    at: result.location)
            } else {
                error(
                    "inline result `=\(result.expression)`: step '\(result.subject)' does not record '\(member)'; it records \(metrics.joined(separator: ", "))",
                    at: result.location, suggestion: Suggestion.closest(to: member, in: metrics))
            }
        }
    }
}
