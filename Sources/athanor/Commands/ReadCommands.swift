import ArgumentParser
import Foundation
import Runs

struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runs", abstract: "List recorded runs, newest first.")

    @Option(help: "Only runs of this notebook (path as recorded, relative to the project).")
    var notebook: String?

    @Flag(help: "Print the runs as a JSON list.")
    var json = false

    func run() throws {
        let project = Project.current()
        let store = try openStore(project)
        let filter = notebook.map { project.relative(URL(fileURLWithPath: $0)) }
        let runs = try store.runs(notebook: filter)
        if json {
            printJSON(runs.map(RunJSON.summary))
        } else if runs.isEmpty {
            print("no runs recorded in \(project.root.path)")
        } else {
            print(RunText.list(runs))
        }
    }
}

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show one run in full.")

    @Argument(help: "A run id, or a unique prefix of one.")
    var id: String

    @Flag(help: "Print the run as JSON.")
    var json = false

    func run() throws {
        let record = try findRun(id, in: try openStore(Project.current()))
        if json {
            printJSON(RunJSON.object(record))
        } else {
            print(RunText.show(record))
        }
    }
}

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two runs: parameters, data, metrics (with deltas) and environment.")

    @Argument(help: "Two run ids or prefixes.")
    var runs: [String]

    @Flag(help: "Show every row, not only those that differ.")
    var all = false

    func validate() throws {
        if runs.count != 2 { throw ValidationError("give two runs to compare") }
    }

    func run() throws {
        let store = try openStore(Project.current())
        let a = try findRun(runs[0], in: store)
        let b = try findRun(runs[1], in: store)
        print(RunText.diff(a, b, all: all))
    }
}

struct Reproduce: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-run a recorded run without the cache and prove its results the same.")

    @Argument(help: "A run id or unique prefix.")
    var id: String

    @Option(help: "Accept metrics within this relative difference (default: bit-equal).")
    var tolerance: Double?

    @Flag(name: .shortAndLong, help: "No progress on standard error.")
    var quiet = false

    func run() throws {
        let project = Project.current()
        let original = try findRun(id, in: try openStore(project))
        let plan: RunPlan
        switch Reproduction.plan(of: original, in: project) {
        case .success(let value): plan = value
        case .failure(let problems):
            for problem in problems.diagnostics { printError(problem.description) }
            throw ExitCode(2)
        }
        let reproduced = try execute(
            plan, project: project, useCache: false, quiet: quiet,
            command: ["athanor"] + CommandLine.arguments.dropFirst())
        let differences = Reproduction.differences(original, reproduced, tolerance: tolerance)
        if differences.isEmpty {
            print(
                "run \(original.id) reproduced as \(reproduced.id): \(original.datasets.count) data hashes and \(original.metrics.count) metrics are the same"
            )
            return
        }
        print("run \(original.id) did not reproduce (new run \(reproduced.id)):")
        for difference in differences { print("  \(difference)") }
        throw ExitCode(1)
    }
}

struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache", abstract: "Inspect or clean the step cache.",
        subcommands: [Stats.self, GC.self, Clear.self])

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Objects and bytes in the cache.")

        func run() throws {
            let project = Project.current()
            let stats = try ObjectStore(directory: project.cacheDirectory).stats()
            print("\(project.cacheDirectory.path): \(stats.objects) objects, \(stats.bytes) bytes")
        }
    }

    struct GC: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gc", abstract: "Remove cache entries that no recorded run refers to.")

        func run() throws {
            let project = Project.current()
            let store = try openStore(project)
            let live = Set(try store.runs().flatMap { $0.steps.map(\.cacheKey) })
            let removed = try CacheCollector.collect(
                ObjectStore(directory: project.cacheDirectory), keepingStepsWithKeys: live)
            print("removed \(removed.removed) objects, \(removed.bytes) bytes")
        }
    }

    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove everything from the cache.")

        func run() throws {
            let project = Project.current()
            try ObjectStore(directory: project.cacheDirectory).clear()
            print("cleared \(project.cacheDirectory.path)")
        }
    }
}
