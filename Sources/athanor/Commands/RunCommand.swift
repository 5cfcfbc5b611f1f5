import ArgumentParser
import Foundation
import Report
import Runs

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a notebook: cached steps, a recorded run.")

    @Argument(help: "The notebook to run.")
    var notebook: String

    @Option(name: .customShort("p"), help: "Override a parameter: -p name=value (repeatable).")
    var parameters: [String] = []

    @Flag(help: "Recompute every step, ignoring the cache.")
    var noCache = false

    @Flag(help: "Say why each step was recomputed.")
    var explain = false

    @Flag(help: "Print the run as JSON on standard output.")
    var json = false

    @Flag(name: .shortAndLong, help: "No progress on standard error.")
    var quiet = false

    @Option(name: .shortAndLong, help: "Write the report here (default: the notebook's name with .html).")
    var output: String?

    @Option(help: "A directory of templates (report.mustache, step.mustache, report.css…) to render with.")
    var template: String?

    @Option(
        name: .customLong("sweep"),
        help: ArgumentHelp(
            "Sweep a parameter: name=v1,v2,… or a range name=A..B:logN or name=A..B:linN (repeatable); "
                + "one run per combination, and a comparison report.", valueName: "name=values"))
    var sweeps: [String] = []

    @Option(name: .customShort("j"), help: "Runs of a sweep at a time (default: the number of cores).")
    var jobs: Int?

    @Option(
        help: ArgumentHelp(
            "The metric a sweep's best run is chosen by: STEP.METRIC, or STEP.METRIC:max / :min "
                + "(default: the first metric recorded).", valueName: "metric"))
    var objective: String?

    @Flag(help: "Higher values of the objective are better.")
    var maximize = false

    @Flag(help: "Lower values of the objective are better.")
    var minimize = false

    func validate() throws {
        if sweeps.isEmpty {
            if jobs != nil { throw ValidationError("-j sets how many runs of a sweep run at a time: add --sweep") }
            if objective != nil || maximize || minimize {
                throw ValidationError("--objective, --maximize and --minimize choose a sweep's best run: add --sweep")
            }
        }
        if let jobs, jobs < 1 { throw ValidationError("-j needs a number of runs at a time of at least 1") }
        if maximize && minimize { throw ValidationError("choose one of --maximize and --minimize") }
    }

    func run() throws {
        let templates = try loadTemplates(template)
        let check = FileCheck(path: notebook)
        for diagnostic in check.diagnostics { printError(diagnostic.description) }
        guard let parsed = check.notebook, !check.hasErrors else { throw ExitCode(2) }
        let resolved: ParameterOverrides.Resolved
        switch ParameterOverrides.resolve(parameters, in: parsed) {
        case .success(let values): resolved = values
        case .failure(let problems):
            for problem in problems.diagnostics { printError(problem.description) }
            throw ExitCode(2)
        }
        if !sweeps.isEmpty {
            try runSweep(parsed, fixed: resolved, templates: templates)
            return
        }
        let plan = RunPlan(notebook: parsed, parameters: resolved.values, overridden: resolved.overridden)
        let project = Project.containing(notebook: notebook)
        let store = try openStore(project)
        var record = try execute(
            plan, project: project, store: store, useCache: !noCache, quiet: quiet,
            command: ["athanor"] + CommandLine.arguments.dropFirst())
        let destination = output.map { URL(fileURLWithPath: $0) } ?? ReportFiles.defaultOutput(forNotebook: notebook)
        let reported = publishReport(
            &record, project: project, store: store, templates: templates, output: destination)
        if json {
            printJSON(RunJSON.object(record))
        } else if explain {
            for step in record.steps where step.cache == .miss {
                print("\(step.name): re-ran because \(step.explanation ?? "it was not cached")")
            }
        }
        if !quiet && !json {
            // A terminal showed the failure under its step; a pipe or a log file shows it here.
            if isatty(STDERR_FILENO) != 1, let failure = RunText.failure(of: record, in: parsed, path: notebook) {
                printError(failure)
            }
            printError("run \(record.id) \(record.status.rawValue)" + (record.report.map { "; report \($0)" } ?? ""))
        }
        if record.status != .succeeded || reported == nil { throw ExitCode(1) }
    }
}

/// Runs a plan with progress and signal handling; the shared path of `run` and `reproduce`.
func execute(
    _ plan: RunPlan, project: Project, store: RunStore, useCache: Bool, quiet: Bool, command: [String]
) throws -> RunRecord {
    let observer: RunObserver =
        !quiet && isatty(STDERR_FILENO) == 1 ? TerminalProgress() : QuietProgress(showWarnings: !quiet)
    let executor: RunExecutor
    do {
        executor = try RunExecutor(
            plan: plan, project: project, store: store, command: command, useCache: useCache, observer: observer)
    } catch {
        printError("athanor: \(error)")
        throw ExitCode(2)
    }
    let signals = SignalTrap { signal in
        executor.interrupt()
        printError("\nathanor: run \(executor.runID) interrupted")
        exit(128 + signal)
    }
    defer { signals.cancel() }
    do {
        return try executor.run()
    } catch {
        printError("athanor: \(error)")
        throw ExitCode(1)
    }
}

/// The built-in templates, or those of `directory` over them; a template that does not parse is exit 2.
func loadTemplates(_ directory: String?) throws -> ReportTemplates {
    do {
        return try directory.map(ReportTemplates.overridden(by:)) ?? ReportTemplates.builtIn()
    } catch {
        printError("athanor: \(error)")
        throw ExitCode(2)
    }
}

/// Writes the report of `record` (to `output` and to `.athanor/reports/`) and records where: `output`, or
/// the kept copy when the run names no report yet, so that a later `render` does not move a run's report
/// away from the file its author shared. Prints what went wrong; returns the main file written, or nil when
/// the report could not be written or names something not recorded.
@discardableResult
func publishReport(
    _ record: inout RunRecord, project: Project, store: RunStore, templates: ReportTemplates, output: URL?
) -> URL? {
    let files = ReportFiles(project: project, renderer: ReportRenderer(templates: templates))
    do {
        let written = try files.write(record, to: output)
        for diagnostic in written.diagnostics { printError(diagnostic.description) }
        let report = project.relative(written.report)
        if record.report != report && (output != nil || record.report == nil) {
            record.report = report
            try store.save(record)
        }
        return written.diagnostics.hasErrors ? nil : written.report
    } catch {
        printError("athanor: \(error)")
        return nil
    }
}

/// SIGINT and SIGTERM handled on a queue of their own, so that the run is recorded as interrupted.
final class SignalTrap: @unchecked Sendable {
    // @unchecked: the sources are created once and only cancelled afterwards.
    private var sources: [DispatchSourceSignal] = []

    init(_ handler: @escaping @Sendable (Int32) -> Void) {
        let queue = DispatchQueue(label: "athanor.signals")
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { handler(number) }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
