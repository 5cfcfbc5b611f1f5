import Engine

/// Every operation's keys, written from the operation schemas (never by hand), for `athanor ops` and for
/// `docs/operations.md`, which a test keeps equal to what this prints.
public enum OperationsText {
    /// The schemas a step can use: the engine's operations, then a command step's `run:`.
    static var schemas: [OperationSchema] { Operations.schemas + [ExternalStep.schema] }

    public static var names: [String] { schemas.map(\.name) }

    /// `load  read a CSV file…`, one line per operation.
    public static func list() -> String {
        let width = schemas.map(\.name.count).max() ?? 0
        let lines = schemas.map { schema in
            let name = schema.name == ExternalStep.schema.name ? "run:" : schema.name
            return name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + schema.summary
        }
        return (lines + ["", "athanor ops OP shows an operation's keys."]).joined(separator: "\n")
    }

    /// The whole reference, as docs/operations.md holds it.
    public static func markdown() -> String {
        var lines = [
            "# Operations",
            "",
            "What each `step` block may say, generated from the operation schemas by",
            "`athanor ops --markdown` (a test keeps this file equal to it). A step names its operation with",
            "`op: NAME`, or is a command with `run: COMMAND`. Every step may also have:",
            "",
        ]
        lines += keyTable(Operations.commonSettings)
        for schema in schemas {
            lines += [""] + section(schema)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One operation's section; nil for a name no schema has.
    public static func markdown(of name: String) -> String? {
        schemas.first { $0.name == name }.map { section($0).joined(separator: "\n") + "\n" }
    }

    static func section(_ schema: OperationSchema) -> [String] {
        let isCommand = schema.name == ExternalStep.schema.name
        var lines = [
            "## " + (isCommand ? "`run:` (a command step)" : "`op: \(schema.name)`"), "",
            capitalized(schema.summary) + ".",
        ]
        lines += ["", "Outputs: " + outputs(schema.outputs) + ".", ""]
        lines += keyTable(schema.settings)
        if let variants = schema.variants {
            for variant in variants.cases {
                lines += ["", "### `\(variants.key): \(variant.name)`", "", capitalized(variant.summary) + "."]
                if !variant.settings.isEmpty { lines += [""] + keyTable(variant.settings) }
            }
        }
        let rules = schema.constraints.map(rule)
        if !rules.isEmpty { lines += [""] + rules.map { "- " + $0 } }
        return lines
    }

    static func keyTable(_ settings: [SettingSpec]) -> [String] {
        ["| key | value | default | what it does |", "|---|---|---|---|"]
            + settings.map { spec in
                let value = spec.type.description.replacingOccurrences(of: "|", with: "\\|")
                let fallback = spec.isRequired ? "required" : spec.defaultValue.map { "`\($0)`" } ?? "—"
                return "| `\(spec.name)` | \(value) | \(fallback) | \(spec.summary) |"
            }
    }

    static func outputs(_ rule: OutputRule) -> String {
        switch rule {
        case .dataset: "a dataset named after the step"
        case .model: "a model named after the step"
        case .metrics: "metrics, `STEP.METRIC`"
        case .artifact: "files, kept as artifacts"
        case .datasets(let always, let when):
            "datasets "
                + (always.map { "`STEP.\($0)`" } + when.map { "`STEP.\($0.output)` (with `\($0.setting)`)" })
                .joined(separator: ", ")
        case .datasetsKeyedBy(let setting): "a dataset `STEP.KEY` for each key of `\(setting)`"
        case .datasetsListedIn(let setting): "a dataset `STEP.NAME` for each name in `\(setting)`"
        }
    }

    static func rule(_ constraint: Constraint) -> String {
        switch constraint {
        case .sumBelow(let keys, let limit):
            keys.map { "`\($0)`" }.joined(separator: " + ") + " must stay below \(limit)"
        case .atLeastOne(let keys): "at least one of " + keys.map { "`\($0)`" }.joined(separator: ", ")
        case .requires(let key, let other): "`\(key)` goes with `\(other)`"
        case .exactlyWhen(let key, let setting, let value): "`\(key)` is given exactly when `\(setting): \(value)`"
        }
    }

    private static func capitalized(_ text: String) -> String {
        text.prefix(1).uppercased() + text.dropFirst()
    }
}
