import ArgumentParser
import Foundation
import Report
import Runs

struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runs", abstract: "List recorded runs, newest first.")

    @Option(help: "Only runs of this notebook (path as recorded, relative to the project).")
    var notebook: String?

    @Option(help: "Only the runs of this sweep (its id, as 'run --sweep' printed it).")
    var sweep: String?

    @Flag(help: "Print the runs as a JSON list.")
    var json = false

    func run() throws {
        let project = Project.current()
        let store = try openStore(project)
        let filter = notebook.map { project.relative(URL(fileURLWithPath: $0)) }
        let runs = try store.runs(notebook: filter, sweep: sweep)
        if let sweep, runs.isEmpty, try store.runs(sweep: sweep).isEmpty {
            printError(
                "athanor: no sweep '\(sweep)' (sweep ids start with 's'; see the runs' 'sweep' in 'runs --json')")
            throw ExitCode(2)
        }
        if json {
            printJSON(runs.map(RunJSON.summary))
        } else if runs.isEmpty {
            print("no runs recorded in \(project.root.path)")
        } else if sweep != nil {
            print(RunText.list(runs, parameters: SweptParameter.differing(in: runs).map(\.name)))
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
        abstract: "Compare runs: two side by side (parameters, data, metrics with deltas, environment), or more, "
            + "or a sweep's, as a table of what differs.")

    @Argument(help: "Run ids or prefixes, or a sweep id (all its runs).")
    var runs: [String]

    @Flag(help: "Show every row, not only those that differ.")
    var all = false

    func validate() throws {
        if runs.isEmpty { throw ValidationError("give two runs or more, or a sweep id, to compare") }
    }

    func run() throws {
        let store = try openStore(Project.current())
        var records: [RunRecord] = []
        var sweeps = 0
        for argument in runs {
            let members = try sweepRuns(argument, in: store)
            if members.isEmpty {
                records.append(try findRun(argument, in: store))
            } else {
                sweeps += 1
                records += members
            }
        }
        if records.count < 2 {
            printError("athanor: give two runs or more to compare (\(runs[0]) is one run)")
            throw ExitCode(2)
        }
        if records.count == 2 && sweeps == 0 {
            print(RunText.diff(records[0], records[1], all: all))
        } else {
            print(RunText.diff(records, all: all))
        }
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
        let store: RunStore
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
            store = try openStore(project)
        } else {
            project = Project.current()
            store = try openStore(project)
            original = try findRun(target, in: store)
            digests = nil
            plan = try planOrExit(Reproduction.plan(of: original, in: project))
        }
        var reproduced = try execute(
            plan, project: project, store: store, useCache: false, quiet: quiet,
            command: ["athanor"] + CommandLine.arguments.dropFirst())
        publishReport(&reproduced, project: project, store: store, templates: try loadTemplates(nil), output: nil)
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

    @Argument(help: "A run id or unique prefix, or a sweep id (its comparison).")
    var id: String

    @Option(name: .shortAndLong, help: "Write the report here too (it is always kept in .athanor/reports/).")
    var output: String?

    @Option(help: "A directory of templates (report.mustache, step.mustache, report.css…) to render with.")
    var template: String?

    func run() throws {
        let templates = try loadTemplates(template)
        let project = Project.current()
        let store = try openStore(project)
        let members = try sweepRuns(id, in: store)
        if !members.isEmpty {
            let comparison = SweepComparison.recorded(id, runs: members, objective: nil)
            let files = SweepReportFiles(project: project, renderer: SweepReportRenderer(templates: templates))
            do {
                let written = try files.write(comparison, to: output.map { URL(fileURLWithPath: $0) })
                print(written.path)
            } catch {
                printError("athanor: \(error)")
                throw ExitCode(1)
            }
            return
        }
        var record = try findRun(id, in: store)
        guard
            let written = publishReport(
                &record, project: project, store: store, templates: templates,
                output: output.map { URL(fileURLWithPath: $0) })
        else { throw ExitCode(1) }
        print(written.path)
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

/// The runs of the sweep `id`, in the order of its grid; none when `id` names no sweep.
func sweepRuns(_ id: String, in store: RunStore) throws -> [RunRecord] {
    guard id.hasPrefix("s") else { return [] }
    do {
        let runs = try store.runs(sweep: id)
        return runs.isEmpty ? [] : SweepComparison.recorded(id, runs: runs, objective: nil).runs
    } catch {
        printError("athanor: \(error)")
        throw ExitCode(2)
    }
}
