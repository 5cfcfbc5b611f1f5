import Engine
import Notebook

/// A code step, ```` ```python step NAME ````: code written in the notebook, whose `#|` options are a
/// command step's keys (DESIGN §5) without `run:`, plus the datasets it reads and produces (DESIGN §10).
public enum CodeStep {
    /// The options a code step in `language` accepts; its name is the language, as a run records it.
    public static func schema(for language: CodeLanguage) -> OperationSchema {
        OperationSchema(
            name: language.rawValue, summary: "run \(language.rawValue) code written in the notebook",
            settings: [
                .optional("reads", .list(.dataset, minimumCount: 0), "datasets of earlier steps the code reads"),
                .optional("produces", .list(.text, minimumCount: 0), "datasets the code writes, as STEP.NAME"),
            ] + ExternalStep.schema.settings.filter { $0.name != "run" },
            outputs: .datasetsListedIn(setting: "produces"))
    }
}
