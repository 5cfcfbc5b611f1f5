import ArgumentParser
import Workflows

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate notebooks without running them; errors as FILE:LINE:COL.")

    @Argument(help: "The notebooks to check.", completion: .notebooks) var notebooks: [String]
    @Flag(name: .shortAndLong, help: "Print only diagnostics, not the summary line of each notebook.")
    var quiet = false
    @Flag(help: "Print the problems as one JSON list on standard output.") var json = false
    @Option(help: "text, json, or github (GitHub Actions annotations on standard output).") var format = "text"

    func validate() throws {
        if notebooks.isEmpty { throw ValidationError("give at least one notebook to check") }
        if CheckWorkflow.Format(rawValue: format) == nil { throw ValidationError("--format is text, json or github") }
    }

    func run() throws {
        let chosen = json ? .json : CheckWorkflow.Format(rawValue: format) ?? .text
        try finish(CheckWorkflow(notebooks: notebooks, quiet: quiet, format: chosen, in: invocation).run())
    }
}

struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runs", abstract: "List recorded runs, newest first.")

    @Option(help: "Only runs of this notebook (path as recorded, relative to the project).", completion: .notebooks)
    var notebook: String?
    @Option(help: "Only the runs of this sweep (its id, as 'run --sweep' printed it).", completion: .runsOrSweeps)
    var sweep: String?
    @Option(help: "Only runs that ended so: succeeded, failed, interrupted, running, abandoned.") var status: String?
    @Option(name: .customShort("n"), help: "Only the newest N runs.") var limit: Int?
    @Flag(help: "Print the runs as a JSON list.") var json = false

    func validate() throws {
        if let status, RunStatus(rawValue: status) == nil { throw ValidationError("no run status '\(status)'") }
        if let limit, limit < 1 { throw ValidationError("-n needs a number of runs of at least 1") }
    }

    func run() throws {
        let chosen = status.flatMap(RunStatus.init(rawValue:))
        try finish(
            ReadWorkflow(in: invocation).list(
                notebook: notebook, sweep: sweep, status: chosen, limit: limit, json: json))
    }
}

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show one run in full.")

    @Argument(help: "A run id, or a unique prefix of one.", completion: .runs) var id: String
    @Flag(help: "Print the run as JSON.") var json = false

    func run() throws { try finish(ReadWorkflow(in: invocation).show(id, json: json)) }
}

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare runs: two side by side (parameters, data, metrics with deltas, environment), or more, "
            + "or a sweep's, as a table of what differs.")

    @Argument(help: "Run ids or prefixes, or a sweep id (all its runs).", completion: .runsOrSweeps) var runs: [String]
    @Flag(help: "Show every row, not only those that differ.") var all = false

    func validate() throws {
        if runs.isEmpty { throw ValidationError("give two runs or more, or a sweep id, to compare") }
    }

    func run() throws { try finish(ReadWorkflow(in: invocation).diff(runs, all: all)) }
}

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild a run's report from the store, without running anything.")

    @Argument(help: "A run id or unique prefix, or a sweep id (its comparison).", completion: .runsOrSweeps)
    var id: String
    @Option(name: .shortAndLong, help: "Write the report here too (it is always kept in .athanor/reports/).")
    var output: String?
    @Option(help: "A directory of templates (report.mustache, step.mustache, report.css…) to render with.")
    var template: String?

    func run() throws { try finish(RenderWorkflow(id: id, output: output, template: template, in: invocation).run()) }
}

struct Artifacts: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy a run's artifacts (files its steps produced) out of the cache, as DIR/STEP/NAME.")

    @Argument(help: "A run id or unique prefix.", completion: .runs) var id: String
    @Option(help: "Where to put them (default: RUN-artifacts).") var out: String?

    func run() throws { try finish(ArtifactsWorkflow(id: id, out: out, in: invocation).run()) }
}

struct Ops: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the operations a step can run, or one's keys.")

    @Argument(help: "An operation (load, split, train…, or run for a command step).") var operation: String?
    @Flag(help: "Print the whole reference as Markdown (docs/operations.md).") var markdown = false

    func run() throws { try finish(OpsWorkflow(operation: operation, markdown: markdown, in: invocation).run()) }
}

struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache", abstract: "Inspect or clean the step cache.",
        subcommands: [Stats.self, GC.self, Clear.self])

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What the cache holds, what each notebook's runs need, and what 'cache gc' would free.")
        @Flag(help: "Print the figures as JSON, in bytes.") var json = false
        func run() throws { try finish(CacheWorkflow(in: invocation).stats(json: json)) }
    }

    struct GC: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gc", abstract: "Remove cache entries that no recorded run refers to.")
        func run() throws { try finish(CacheWorkflow(in: invocation).collect()) }
    }

    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove everything from the cache.")
        func run() throws { try finish(CacheWorkflow(in: invocation).clear()) }
    }
}
