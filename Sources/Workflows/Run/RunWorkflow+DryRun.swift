import Foundation

extension RunWorkflow {
    /// `run --dry-run`: which steps of each run would run and why, from the cache keys alone; nothing is
    /// run, restored or recorded, and a project without `.athanor/` is left without one.
    func dryRun(_ parsed: Notebook, fixed: ParameterOverrides.Resolved, dataDirectory: URL) throws -> CommandStatus {
        let location = invocation.url(options.notebook)
        let project = Project.containing(notebook: location.path)
        let store = try openStoreForReading(project)
        var plans: [(label: String?, plan: RunPlan)] = []
        if options.sweeps.isEmpty {
            try OverrideCheck.verify(fixed, of: parsed, dataDirectory: dataDirectory)
            plans = [(nil, RunPlan(notebook: parsed, parameters: fixed.values, overridden: fixed.overridden))]
        } else {
            let grid = try checkedGrid(parsed, fixed: fixed, dataDirectory: dataDirectory)
            let runner: SweepRunner
            do {
                runner = try SweepRunner(
                    notebook: parsed, fixed: fixed, grid: grid, project: project, store: store,
                    command: invocation.command, useCache: options.useCache, jobs: 1)
            } catch {
                throw WorkflowFailure.invalid(error)
            }
            plans = runner.members.map { ($0.label, runner.plan(of: $0)) }
        }
        var status = CommandStatus.success
        for (label, plan) in plans {
            let executor: RunExecutor
            do {
                executor = try RunExecutor(
                    plan: plan, project: project, store: store, command: invocation.command,
                    useCache: options.useCache, observer: QuietProgress(console: console, showWarnings: !options.quiet))
            } catch {
                throw WorkflowFailure.invalid(error)
            }
            let steps = executor.dryRun()
            let prefix = label.map { "[\($0)] " } ?? ""
            for line in RunText.explanation(of: steps, prefix: prefix, ran: "would run") { console.print(line) }
            if let failed = steps.first(where: { $0.status == .failed }) {
                console.printError("athanor: error: \(prefix)step '\(failed.name)': \(failed.error ?? "")")
                status = .failure
            }
        }
        if !options.quiet { console.printError("dry run: nothing was run or recorded") }
        return status
    }
}
