import Foundation
import Report

/// Runs a plan with progress and signal handling: the shared path of `run` and `reproduce`.
func execute(_ plan: RunPlan, project: Project, store: RunStore, useCache: Bool, quiet: Bool, in invocation: Invocation)
    throws -> RunRecord
{
    let console = invocation.console
    let observer: RunObserver =
        quiet
        ? QuietProgress(console: console, showWarnings: false)
        : console.isTerminal ? TerminalProgress(console: console) as RunObserver : PlainProgress(console: console)
    let executor: RunExecutor
    do {
        executor = try RunExecutor(
            plan: plan, project: project, store: store, command: invocation.command, useCache: useCache,
            observer: observer)
    } catch {
        throw WorkflowFailure.invalid(error)
    }
    let signals = SignalTrap { signal in
        executor.interrupt()
        console.printError("\nathanor: error: run \(executor.runID) interrupted")
        exit(128 + signal)
    }
    defer { signals.cancel() }
    do {
        return try executor.run()
    } catch {
        throw WorkflowFailure.failed(error)
    }
}

/// The built-in templates, or those of `directory` over them; a template that does not parse is exit 2.
func loadTemplates(_ directory: String?, in invocation: Invocation) throws -> ReportTemplates {
    do {
        return try directory.map { try ReportTemplates.overridden(by: invocation.url($0).path) }
            ?? ReportTemplates.builtIn()
    } catch {
        throw WorkflowFailure.invalid(error)
    }
}

/// Writes the report of `record` (to `output` and to `.athanor/reports/`) and records where: `output`, or
/// the kept copy when the run names no report yet, so that a later `render` does not move a run's report
/// away from the file its author shared. Prints what went wrong; returns the main file written, or nil when
/// the report could not be written or names something not recorded.
@discardableResult
func publishReport(
    _ record: inout RunRecord, project: Project, store: RunStore, templates: ReportTemplates, output: URL?,
    console: Console
) -> URL? {
    let files = ReportFiles(project: project, renderer: ReportRenderer(templates: templates))
    do {
        let written = try files.write(record, to: output)
        console.report(written.diagnostics)
        let report = project.relative(written.report)
        if !store.isOpenForReading && record.report != report && (output != nil || record.report == nil) {
            record.report = report
            try store.saveReport(of: record)
        }
        return written.diagnostics.hasErrors ? nil : written.report
    } catch {
        console.report(error: error)
        return nil
    }
}

/// Opens the run store of `project` for a command that records, or fails with its message and exit 2.
public func openStore(_ project: Project) throws -> RunStore {
    do {
        return try RunStore(path: project.storePath)
    } catch {
        throw WorkflowFailure.invalid(error)
    }
}

/// Opens the run store of `project` for a command that only reads: nothing is created, a read-only project
/// works, and a missing store is an empty history.
func openStoreForReading(_ project: Project) throws -> RunStore {
    do {
        return try RunStore(readingAt: project.storePath)
    } catch {
        throw WorkflowFailure.invalid(error)
    }
}

/// The store for `render`: written to (to remember where a report went) when the project can be written,
/// else read only, as an archived project is.
func openStoreForRendering(_ project: Project) throws -> RunStore {
    let manager = FileManager.default
    if manager.fileExists(atPath: project.storePath), manager.isWritableFile(atPath: project.stateDirectory.path),
        manager.isWritableFile(atPath: project.storePath)
    {
        return try openStore(project)
    }
    return try openStoreForReading(project)
}

/// SIGINT, SIGTERM and SIGHUP (a closed terminal) handled on a queue of their own, so that the run is
/// recorded as interrupted and its commands are stopped.
final class SignalTrap: @unchecked Sendable {
    // @unchecked: the sources are created once and only cancelled afterwards.
    private var sources: [DispatchSourceSignal] = []
    static let trapped = [SIGINT, SIGTERM, SIGHUP]

    init(_ handler: @escaping @Sendable (Int32) -> Void) {
        let queue = DispatchQueue(label: "athanor.signals")
        for number in Self.trapped {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { handler(number) }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
        for number in Self.trapped { signal(number, SIG_DFL) }
    }
}
