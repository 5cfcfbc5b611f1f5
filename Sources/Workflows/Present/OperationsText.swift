import Engine

/// Every operation's keys, written from the operation schemas (never by hand), for `athanor ops` and for
/// `docs/operations.md`, which a test keeps equal to what this prints.
public enum OperationsText {
    /// The schemas a step can use: the engine's operations, a command step's `run:`, then a code step's
    /// options (the same for every language).
    static var schemas: [OperationSchema] {
        Operations.schemas + [ExternalStep.schema, CodeStep.schema(for: .python)]
    }

    public static var names: [String] { schemas.map(\.name) + CodeLanguage.allCases.dropFirst().map(\.rawValue) }

    private static func isCode(_ schema: OperationSchema) -> Bool { CodeLanguage(rawValue: schema.name) != nil }

    private static let languages = CodeLanguage.allCases.map(\.rawValue).joined(separator: "|")

    /// `load  read a CSV file…`, one line per operation.
    public static func list() -> String {
        let rows = schemas.map { schema in
            schema.name == ExternalStep.schema.name
                ? ("run:", schema.summary)
                : isCode(schema)
                    ? ("\(languages) step", "run code written in the notebook") : (schema.name, schema.summary)
        }
        let width = rows.map(\.0.count).max() ?? 0
        let lines = rows.map { name, summary in name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + summary
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
            "`op: NAME`, is a command with `run: COMMAND`, or is code (```` ```python step NAME ````). Every step",
            "may also have:",
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
        let schema = CodeLanguage(rawValue: name).map(CodeStep.schema(for:)) ?? schemas.first { $0.name == name }
        return schema.map { section($0).joined(separator: "\n") + "\n" }
    }

    static func section(_ schema: OperationSchema) -> [String] {
        let isCommand = schema.name == ExternalStep.schema.name
        if isCode(schema) { return codeSection(schema) }
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

    /// The section of code steps: their options, then how the code runs.
    private static func codeSection(_ schema: OperationSchema) -> [String] {
        [
            "## Code steps: ```` ```python step NAME ````, `sh`, `bash`", "",
            "Code written in the notebook, run by the user's `python3`, `sh -e` or `bash -eo pipefail` in the",
            "notebook's folder. Its options are the leading `#| key: value` lines of the code, in YAML.", "",
            "Outputs: " + outputs(schema.outputs) + ", written with `athanor.write(NAME, frame)`.", "",
        ] + keyTable(schema.settings) + [
            "",
            "- Every parameter of the run is a variable of the code, of the same type (in `sh` and `bash`, an",
            "  environment variable; lists as JSON).",
            "- `athanor.read(REF)` gives a dataset of `reads:` as a pandas DataFrame (a dict of numpy arrays",
            "  without pandas); `athanor.log(NAME, VALUE, step=N)` records a metric or a series point.",
            "- Every matplotlib figure open when the code ends, or shown with `plt.show()`, and every `.png` or",
            "  `.svg` written to `ATHANOR_OUTPUT`, is shown under the step in the report (up to 2 MB each).",
        ]
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
