import Engine
import Foundation
import Notebook

/// A checked notebook with its parameters resolved: each step's final configuration and what it
/// reads, ready for cache keys and execution.
public struct RunPlan: Sendable {
    public var notebook: Notebook
    /// The directory that relative paths in steps start from.
    public var directory: URL
    public var parameters: [String: ParameterValue]
    public var overridden: Set<String>
    public var steps: [PlannedStep]

    public init(notebook: Notebook, parameters: [String: ParameterValue], overridden: Set<String>) {
        self.notebook = notebook
        self.directory = URL(fileURLWithPath: notebook.path).standardizedFileURL.deletingLastPathComponent()
        self.parameters = parameters
        self.overridden = overridden
        let names = Set(notebook.steps.map(\.name))
        steps = notebook.steps.map { step in
            PlannedStep(step: step, configuration: step.configuration(with: parameters), stepNames: names)
        }
    }
}

/// One step as it will run.
public struct PlannedStep: Sendable {
    public var name: String
    /// What the step runs; nil for a body that names no known operation (a plan of an unchecked notebook).
    public var kind: OperationKind?
    /// The operation's name as a run records it, or `run` for a command step.
    public var op: String
    public var configuration: ConfigNode
    /// Parameters the step's body refers to, for explaining cache misses.
    public var parameterNames: [String]
    /// References to earlier steps' outputs (`split.train`), with the key they stand under.
    public var references: [(key: String, step: String, output: String?)]
    /// `cache: false` recomputes the step on every run.
    public var usesCache: Bool
    /// A code step's code, exactly as written.
    public var code: CodeBody?

    init(step: StepBlock, configuration: ConfigNode, stepNames: Set<String>) {
        name = step.name
        self.configuration = configuration
        kind = OperationKind(step: step, configuration: configuration)
        code = step.code
        op = kind?.name ?? configuration["op"]?.string ?? ""
        parameterNames = Array(Set(step.body.parameterReferences.map(\.name))).sorted()
        usesCache = configuration["cache"].map { $0.value != .bool(false) } ?? true
        var references: [(String, String, String?)] = []
        func collect(_ node: ConfigNode, key: String) {
            switch node.value {
            case .string(let text):
                if let reference = StepReference(text), stepNames.contains(reference.step), reference.step != step.name
                {
                    references.append((key, reference.step, reference.output))
                }
            case .mapping(let entries):
                for entry in entries { collect(entry.value, key: "\(key).\(entry.key)") }
            case .list(let items):
                for item in items { collect(item, key: key) }
            default:
                break
            }
        }
        // The keys that hold references are those the operation's schema types as data or models.
        let schema = kind?.schema
        let variant = schema?.variants.flatMap { configuration[$0.key]?.string }
        var referenceKeys: Set<String> = []
        for spec in schema?.settings(forVariant: variant) ?? [] {
            switch spec.type {
            case .dataset, .datasetOr, .model, .datasets, .list(.dataset, _): referenceKeys.insert(spec.name)
            default: break
            }
        }
        for entry in configuration.entries ?? [] where referenceKeys.contains(entry.key) {
            collect(entry.value, key: entry.key)
        }
        self.references = references
    }

    /// The settings that decide the step's result: everything but `description` and `cache`, and a
    /// command's or code step's `timeout`, which decides only whether it finishes; a code step's language
    /// and code go in too, under keys no option may have.
    public var effectiveConfiguration: ConfigNode {
        guard var entries = configuration.entries else { return configuration }
        let ignored: Set<String> =
            kind?.runsUserCode == true
            ? ["description", "cache", "timeout", "resources"] : ["description", "cache", "resources"]
        entries = entries.filter { !ignored.contains($0.key) }
        if let code {
            let at = configuration.location
            entries.append(
                ConfigEntry(
                    key: "$language", keyLocation: at, value: ConfigNode(.string(code.language.rawValue), at: at)))
            entries.append(ConfigEntry(key: "$code", keyLocation: at, value: ConfigNode(.string(code.text), at: at)))
        }
        return ConfigNode(.mapping(entries), at: configuration.location)
    }

    /// Files the step reads, relative to the notebook's directory.
    public var files: [String] {
        if kind == .load, let path = configuration["path"]?.string { return [path] }
        return []
    }

    /// A command step's `inputs:`, paths and globs as written; expanded when the step's cache
    /// key is computed, after the steps before it have written their files.
    public var inputs: [String] {
        guard kind?.runsUserCode == true, case .list(let items)? = configuration["inputs"]?.value else { return [] }
        return items.compactMap(\.string)
    }
}
