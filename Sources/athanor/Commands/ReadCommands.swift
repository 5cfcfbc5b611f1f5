import ArgumentParser
import Foundation
import Report
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
        abstract: "Re-run a recorded run, or the run a report embeds, without the cache and prove its results the same."
    )

    @Argument(help: ArgumentHelp("A run id or unique prefix, or a report (REPORT.html).", valueName: "run"))
    var target: String

    @Option(help: "Accept metrics within this relative difference (default: bit-equal).")
    var tolerance: Double?

    @Option(help: "For a report: the directory its data files are read from (default: the current directory).")
    var data: String?

    @Flag(help: "For a report: run its command steps ('run:'), which are otherwise refused.")
    var allowCommands = false

    @Flag(name: .shortAndLong, help: "No progress on standard error.")
    var quiet = false

    func run() throws {
        let fromReport = target.hasSuffix(".html") || target.hasSuffix(".htm")
        let original: RunRecord
        let digests: [SeriesDigest]?
        let plan: RunPlan
        let project: Project
        if fromReport {
            let manifest = try readManifest(target)
            original = manifest.run
            digests = manifest.series
            let directory = URL(fileURLWithPath: data ?? FileManager.default.currentDirectoryPath)
            let notebookPath = directory.appendingPathComponent(
                URL(fileURLWithPath: original.notebook).lastPathComponent)
            plan = try planOrExit(Reproduction.plan(of: original, notebookPath: notebookPath.path))
            let commands = plan.steps.filter { $0.op == "run" }.map(\.name)
            if !commands.isEmpty && !allowCommands {
                printError(
                    "athanor: \(target) asks to run shell commands (step\(commands.count == 1 ? "" : "s") "
                        + commands.map { "'\($0)'" }.joined(separator: ", ")
                        + "). Commands that come out of a report are never run unless you pass --allow-commands; "
                        + "read them in the report first.")
                throw ExitCode(2)
            }
            project = Project.containing(notebook: notebookPath.path)
        } else {
            project = Project.current()
            original = try findRun(target, in: try openStore(project))
            digests = nil
            plan = try planOrExit(Reproduction.plan(of: original, in: project))
        }
        var reproduced = try execute(
            plan, project: project, useCache: false, quiet: quiet,
            command: ["athanor"] + CommandLine.arguments.dropFirst())
        _ = publishReport(&reproduced, project: project, templates: try loadTemplates(nil), output: nil)
        let differences = Reproduction.differences(
            original, reproduced, tolerance: tolerance, seriesDigests: digests)
        if differences.isEmpty {
            let series = digests?.count ?? original.series.count
            print(
                "run \(original.id) reproduced as \(reproduced.id): \(original.datasets.count) data hashes, "
                    + "\(original.metrics.count) metrics and \(series) series are the same")
            return
        }
        print("run \(original.id) did not reproduce (new run \(reproduced.id)):")
        for difference in differences { print("  \(difference)") }
        throw ExitCode(1)
    }

    private func readManifest(_ path: String) throws -> ReportManifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            printError("athanor: cannot read the report '\(path)'")
            throw ExitCode(2)
        }
        do {
            return try ReportManifest.extract(fromReport: String(decoding: data, as: UTF8.self), path: path)
        } catch {
            printError("athanor: \(error)")
            throw ExitCode(2)
        }
    }

    private func planOrExit(_ result: Result<RunPlan, DiagnosticList>) throws -> RunPlan {
        switch result {
        case .success(let plan): return plan
        case .failure(let problems):
            for problem in problems.diagnostics { printError(problem.description) }
            throw ExitCode(2)
        }
    }
}

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild a run's report from the store, without running anything.")

    @Argument(help: "A run id or unique prefix.")
    var id: String

    @Option(name: .shortAndLong, help: "Write the report here too (it is always kept in .athanor/reports/).")
    var output: String?

    @Option(help: "A directory of templates (report.mustache, step.mustache, report.css…) to render with.")
    var template: String?

    func run() throws {
        let templates = try loadTemplates(template)
        let project = Project.current()
        var record = try findRun(id, in: try openStore(project))
        let reported = publishReport(
            &record, project: project, templates: templates, output: output.map { URL(fileURLWithPath: $0) })
        if let report = record.report { print(project.root.appendingPathComponent(report).path) }
        if !reported { throw ExitCode(1) }
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
