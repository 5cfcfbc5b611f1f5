import Foundation
import TestSupport
import Workflows

/// A temporary project folder and a captured console, to call use cases in-process as the CLI does.
struct Workspace {
    let folder: TemporaryFolder
    var url: URL { folder.url }

    init() throws {
        folder = try TemporaryFolder(prefix: "athanor-workflows")
    }

    func remove() { folder.remove() }

    /// A fresh console and an invocation in `directory` (the workspace by default).
    func invocation(_ command: String, in directory: URL? = nil, failsOutput: Bool = false) -> (
        Invocation, CapturedConsole
    ) {
        let console = CapturedConsole(failsOutput: failsOutput)
        let words = ["athanor"] + command.split(separator: " ").map(String.init)
        return (Invocation(console: console, directory: directory ?? url, command: words), console)
    }

    /// `athanor run NOTEBOOK [-p …]` in-process, quiet.
    func run(_ notebook: String, _ parameters: [String] = [], json: Bool = true) -> (CommandStatus, CapturedConsole) {
        var options = RunWorkflow.Options(notebook: folder.path(notebook))
        options.parameters = parameters
        options.quiet = true
        options.json = json
        let (invocation, console) = invocation("run \(notebook)")
        return (RunWorkflow(options, in: invocation).run(), console)
    }

    /// The runs recorded in the workspace's project, newest first, as `runs --json` lists them.
    func runs(in directory: URL? = nil) throws -> [[String: Any]] {
        let (invocation, console) = invocation("runs --json", in: directory)
        guard ReadWorkflow(in: invocation).list(notebook: nil, sweep: nil, json: true) == .success else {
            throw WorkspaceError(console.error)
        }
        return try JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [[String: Any]] ?? []
    }

    /// The run `run` printed with `--json`.
    static func record(_ console: CapturedConsole) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [String: Any] ?? [:]
    }
}

struct WorkspaceError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A small notebook whose parameters reach checked settings: `epochs` (≥ 1), `lr` (> 0), `test_size` (0, 1).
let trainingNotebook = """
    ```params
    epochs: 5
    lr: 0.1
    test_size: 0.25
    ```

    ```step data
    op: synthetic
    kind: classification
    samples: 200
    features: 4
    classes: 2
    ```

    ```step split
    op: split
    input: data
    test: ${test_size}
    ```

    ```step model
    op: train
    model: mlp
    hidden: [8]
    epochs: ${epochs}
    lr: ${lr}
    input: split.train
    ```

    ```step eval
    op: evaluate
    model: model
    input: split.test
    metrics: [accuracy]
    ```
    """
