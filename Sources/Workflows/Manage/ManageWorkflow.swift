import Foundation
import Report

/// `athanor rm` and `athanor sweeps`: forgetting runs and listing the sweeps that made them.
public struct ManageWorkflow: Sendable {
    public var invocation: Invocation

    public init(in invocation: Invocation) {
        self.invocation = invocation
    }

    var console: Console { invocation.console }

    /// `rm RUN|SWEEP… [--yes]`: forgets the runs (a sweep's id stands for all its runs) and their kept
    /// reports; `cache gc` then frees what only they used. Without `--yes`, asks on a terminal and refuses
    /// elsewhere: a script that deletes must say so.
    public func remove(_ targets: [String], yes: Bool) -> CommandStatus {
        perform(console) {
            let project = invocation.project
            let store = try openStore(project)
            var runs: [RunRecord] = []
            var sweeps: Set<String> = []
            for target in targets {
                let members = try Lookup.sweep(target, in: store)
                if members.isEmpty {
                    runs.append(try Lookup.run(target, in: store))
                } else {
                    sweeps.insert(target)
                    runs += members
                }
            }
            var seen: Set<String> = []
            runs = runs.filter { seen.insert($0.id).inserted }
            if let running = runs.first(where: { $0.status == .running }) {
                throw WorkflowFailure.invalid("run \(running.id) is still running; wait for it or interrupt it first")
            }
            let what = "\(runs.count) run\(runs.count == 1 ? "" : "s") (\(runs.map(\.id).joined(separator: ", ")))"
            if !yes {
                guard let ask = invocation.ask else {
                    throw WorkflowFailure.invalid(
                        "rm would forget \(what); say --yes to do so without a terminal to ask on")
                }
                let answer = ask("forget \(what) and their reports? [y/N] ")?.trimmingCharacters(in: .whitespaces)
                guard let answer, ["y", "yes"].contains(answer.lowercased()) else {
                    console.printError("athanor: nothing removed")
                    return .failure
                }
            }
            let files = FileManager.default
            for run in runs {
                try store.delete(run.id)
                try? files.removeItem(at: project.reportsDirectory.appendingPathComponent("\(run.id).html"))
            }
            for sweep in sweeps where try store.runs(sweep: sweep).isEmpty {
                try? files.removeItem(at: project.reportsDirectory.appendingPathComponent("sweep-\(sweep).html"))
            }
            console.print("removed \(what); 'athanor cache gc' frees the cache entries only they used")
            return .success
        }
    }

    /// `sweeps [--json]`: each sweep once, newest first, with its notebook, runs, swept parameters and status.
    public func sweeps(json: Bool) -> CommandStatus {
        perform(console) {
            let project = invocation.project
            let list = try openStoreForReading(project).list()
            for damaged in list.damaged { console.printError("athanor: warning: \(damaged)") }
            var order: [String] = []
            var members: [String: [RunRecord]] = [:]
            for run in list.runs {
                guard let sweep = run.sweep else { continue }
                if members[sweep] == nil { order.append(sweep) }
                members[sweep, default: []].append(run)
            }
            let rows = order.map { id -> (id: String, runs: [RunRecord], swept: [SweptParameter]) in
                let runs = members[id] ?? []
                return (id, runs, SweptParameter.differing(in: runs))
            }
            if json {
                console.printJSON(rows.map { SweepJSON.row($0.id, runs: $0.runs) })
            } else if rows.isEmpty {
                console.print(invocation.noStoreMessage("sweeps"))
            } else {
                var table = [["SWEEP", "STARTED", "RUNS", "NOTEBOOK", "SWEPT"]]
                for row in rows {
                    let failed = row.runs.filter { $0.status != .succeeded }.count
                    table.append([
                        row.id, RunText.date(row.runs.map(\.started).min() ?? Date()),
                        "\(row.runs.count)" + (failed > 0 ? " (\(failed) failed)" : ""),
                        row.runs.first?.notebook ?? "",
                        row.swept.map { "\($0.name)=\($0.values.joined(separator: ","))" }.joined(separator: " "),
                    ])
                }
                console.print(RunText.table(table))
            }
            return .success
        }
    }

    /// `tag RUN key=value… [--note TEXT]`: labels a run after the fact (`key=` removes a tag, `--note ""` the
    /// note); shown by `runs`, `show` and the report rendered next.
    public func tag(_ id: String, _ assignments: [String], note: String?) -> CommandStatus {
        perform(console) {
            var tags: [String: String] = [:]
            for assignment in assignments {
                guard let equals = assignment.firstIndex(of: "="), Identifier.isStepName(String(assignment[..<equals]))
                else {
                    throw WorkflowFailure.invalid(
                        "'\(assignment)': a tag is key=value, its key of lowercase letters, digits, '_' and '-'")
                }
                tags[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...])
            }
            if tags.isEmpty && note == nil { throw WorkflowFailure.invalid("give key=value tags or --note TEXT") }
            let project = invocation.project
            let store = try openStore(project)
            let run = try Lookup.run(id, in: store)
            try store.tag(run.id, tags, note: note)
            var tagged = try Lookup.run(run.id, in: store)
            // The kept report shows the tags at once; a report written elsewhere is rendered again by `render`.
            let templates = try ReportTemplates.builtIn()
            let kept = ReportFiles(project: project, renderer: ReportRenderer(templates: templates)).kept(run.id)
            if FileManager.default.fileExists(atPath: kept.path) {
                publishReport(
                    &tagged, project: project, store: store, templates: templates, output: nil, console: console)
            }
            let shown = RunText.tags(tagged)
            console.print(
                "run \(run.id): " + (shown.isEmpty ? "no tags" : shown.joined(separator: " "))
                    + (tagged.note.map { "; note: \($0)" } ?? ""))
            return .success
        }
    }
}
