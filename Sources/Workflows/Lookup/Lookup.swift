import Foundation
import Report

/// Finding recorded runs and sweeps by what the user types: an id, a unique prefix, a sweep id.
public enum Lookup {
    /// A run by id or unique prefix, or exit 2 with the store's explanation.
    public static func run(_ prefix: String, in store: RunStore) throws -> RunRecord {
        do {
            let id = try newest(prefix, in: store) ?? store.resolve(prefix)
            guard let run = try store.run(id) else { throw WorkflowFailure.invalid("no run '\(prefix)'") }
            return run
        } catch let failure as WorkflowFailure {
            throw failure
        } catch {
            throw WorkflowFailure.invalid(error)
        }
    }

    /// `latest` is the newest run, `latest~1` the one before it (as git's `HEAD~1`); nil for any other text.
    static func newest(_ text: String, in store: RunStore) throws -> String? {
        guard text == "latest" || text.hasPrefix("latest~") else { return nil }
        let back = text == "latest" ? 0 : Int(text.dropFirst("latest~".count))
        guard let back, back >= 0 else {
            throw WorkflowFailure.invalid("'\(text)': write latest, or latest~N for the Nth run before it")
        }
        let ids = try store.ids()
        guard back < ids.count else {
            throw WorkflowFailure.invalid(
                ids.isEmpty ? "no runs recorded, so no '\(text)'" : "'\(text)': only \(ids.count) runs are recorded")
        }
        return ids[back]
    }

    /// The runs `targets` name (ids, prefixes, `latest~N`, or sweep ids, which stand for all their runs), each
    /// once, in the order named; for the commands of other executables (`athanor push`).
    public static func runs(_ targets: [String], in store: RunStore) throws -> [RunRecord] {
        var runs: [RunRecord] = []
        for target in targets {
            let members = try sweep(target, in: store)
            runs += members.isEmpty ? [try run(target, in: store)] : members
        }
        var seen: Set<String> = []
        return runs.filter { seen.insert($0.id).inserted }
    }

    /// The runs of the sweep `id`, in the order of its grid; none when `id` names no sweep.
    static func sweep(_ id: String, in store: RunStore) throws -> [RunRecord] {
        guard id.hasPrefix("s") else { return [] }
        do {
            let runs = try store.runs(sweep: id)
            return runs.isEmpty ? [] : SweepComparison.recorded(id, runs: runs, objective: nil).runs
        } catch {
            throw WorkflowFailure.invalid(error)
        }
    }
}

/// `athanor runs`, `show` and `diff`: what the store recorded, as text or JSON.
public struct ReadWorkflow: Sendable {
    public var invocation: Invocation

    public init(in invocation: Invocation) {
        self.invocation = invocation
    }

    var console: Console { invocation.console }

    /// `runs [--notebook NB] [--sweep ID] [--status S] [-n N] [--json]`: newest first.
    public func list(
        notebook: String?, sweep: String?, status: RunStatus? = nil, limit: Int? = nil, json: Bool
    ) -> CommandStatus {
        perform(console) {
            let project = invocation.project
            let store = try openStoreForReading(project)
            let filter = notebook.map { project.relative(invocation.url($0)) }
            let list = try store.list(notebook: filter, sweep: sweep)
            for damaged in list.damaged { console.printError("athanor: warning: \(damaged)") }
            var runs = list.runs.filter { status == nil || $0.status == status }
            if let limit { runs = Array(runs.prefix(limit)) }
            if let sweep, runs.isEmpty, try store.runs(sweep: sweep).isEmpty {
                throw WorkflowFailure.invalid(
                    "no sweep '\(sweep)' (sweep ids start with 's'; see the runs' 'sweep' in 'runs --json')")
            }
            if json {
                console.printJSON(runs.map(RunJSON.summary))
            } else if runs.isEmpty {
                console.print(invocation.noStoreMessage("runs"))
            } else if sweep != nil {
                console.print(RunText.list(runs, parameters: SweptParameter.differing(in: runs).map(\.name)))
            } else {
                console.print(RunText.list(runs))
            }
            return .success
        }
    }

    /// `show RUN [--json]`.
    public func show(_ id: String, json: Bool) -> CommandStatus {
        perform(console) {
            let record = try Lookup.run(id, in: try openStoreForReading(invocation.project))
            if json {
                console.printJSON(RunJSON.object(record))
            } else {
                console.print(RunText.show(record))
            }
            return .success
        }
    }

    /// `diff RUN RUN… | SWEEP [--all]`: two runs side by side, more as a table of what differs.
    public func diff(_ arguments: [String], all: Bool) -> CommandStatus {
        perform(console) {
            let store = try openStoreForReading(invocation.project)
            var records: [RunRecord] = []
            var sweeps = 0
            for argument in arguments {
                let members = try Lookup.sweep(argument, in: store)
                if members.isEmpty {
                    records.append(try Lookup.run(argument, in: store))
                } else {
                    sweeps += 1
                    records += members
                }
            }
            if records.count < 2 {
                throw WorkflowFailure.invalid(
                    "give two runs or more to compare (\(arguments.first ?? "nothing") is one run)")
            }
            if records.count == 2 && sweeps == 0 {
                console.print(RunText.diff(records[0], records[1], all: all))
            } else {
                console.print(RunText.diff(records, all: all))
            }
            return .success
        }
    }
}
