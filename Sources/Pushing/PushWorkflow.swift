import Foundation
import Workflows

/// `athanor push [RUN|SWEEP…] [--mlflow URL] [--experiment NAME] [--json]`: sends runs to an MLflow tracking
/// server, whole, and records locally what went where.
public struct PushWorkflow: Sendable {
    public var invocation: Invocation
    public var environment: [String: String]

    public init(in invocation: Invocation, environment: [String: String]) {
        self.invocation = invocation
        self.environment = environment
    }

    var console: Console { invocation.console }

    public func push(_ targets: [String], mlflow: String?, experiment: String?, json: Bool) -> CommandStatus {
        perform(console) {
            let client = try makeClient(mlflow)
            let project = invocation.project
            let store = try openStore(project)
            let pushes = try store.mlflowPushes(to: client.base)
            var runs: [RunRecord]
            if targets.isEmpty {
                let list = try store.list()
                for damaged in list.damaged { console.printError("athanor: warning: \(damaged)") }
                runs = []
                for summary in list.runs.reversed() where pushes[summary.id]?.completed == nil {
                    if summary.status == .running || summary.status == .queued {
                        console.printError(
                            "athanor: note: run \(summary.id) is still \(summary.status.rawValue); not pushed")
                        continue
                    }
                    runs.append(try Lookup.run(summary.id, in: store))
                }
            } else {
                runs = try Lookup.runs(targets, in: store)
                if let running = runs.first(where: { $0.status == .running || $0.status == .queued }) {
                    throw WorkflowFailure.invalid(
                        "run \(running.id) is still \(running.status.rawValue); push it once it has ended "
                            + "(its metrics are not final)")
                }
            }
            if runs.isEmpty {
                console.print("every run is already on \(client.shown)")
                return .success
            }
            var session = PushSession(client: client, store: store, project: project, pushes: pushes, console: console)
            var results: [PushResult] = []
            for (position, run) in runs.enumerated() {
                let name = experiment ?? run.title ?? Self.fileName(run.notebook)
                do {
                    let result = try session.push(run, experiment: name)
                    results.append(result)
                    if !json { console.print(result.line) }
                } catch let failure as WorkflowFailure {
                    if json && !results.isEmpty { console.printJSON(results.map(\.json)) }
                    throw failure
                } catch {
                    if json && !results.isEmpty { console.printJSON(results.map(\.json)) }
                    let left = runs.count - position
                    console.report(Diagnostics.tool("run \(run.id): \(error)"))
                    console.printError(
                        "athanor: note: \(results.count) of \(runs.count) runs pushed, \(left) not or not wholly; "
                            + "'athanor push' again completes them without duplicates")
                    return .failure
                }
            }
            if json { console.printJSON(results.map(\.json)) }
            return .success
        }
    }

    func makeClient(_ mlflow: String?) throws -> MLflowClient {
        guard let url = mlflow ?? environment["MLFLOW_TRACKING_URI"], !url.isEmpty else {
            throw WorkflowFailure.invalid("give the MLflow server with --mlflow URL or MLFLOW_TRACKING_URI")
        }
        guard url.hasPrefix("http://") || url.hasPrefix("https://"), URL(string: url)?.host != nil else {
            throw WorkflowFailure.invalid(
                "'\(url)' is not an MLflow server's http:// or https:// URL (athanor push talks to a tracking server)")
        }
        let attempts = environment["ATHANOR_PUSH_ATTEMPTS"].flatMap { Int($0) } ?? 5
        let delay = environment["ATHANOR_PUSH_RETRY_DELAY"].flatMap { Double($0) } ?? 0.5
        return MLflowClient(
            url: url, credentials: MLflowCredentials(environment: environment), attempts: attempts, firstDelay: delay)
    }

    /// The notebook's file name without `.md`: the experiment of a notebook without a title.
    static func fileName(_ notebook: String) -> String {
        let name = URL(fileURLWithPath: notebook).lastPathComponent
        return name.hasSuffix(".md") ? String(name.dropLast(3)) : name
    }
}

/// What became of one run.
struct PushResult {
    enum Outcome: String {
        case pushed
        case resumed
        case already
    }

    var run: RunRecord
    var outcome: Outcome
    var experiment: String
    var experimentID: String
    var mlflowRunID: String
    var url: String
    var summary: String

    var line: String {
        switch outcome {
        case .pushed: "\(run.id) pushed to \(url) (\(summary))"
        case .resumed: "\(run.id) completed at \(url) (\(summary))"
        case .already: "\(run.id) already at \(url)"
        }
    }

    var json: [String: Any] {
        [
            "id": run.id, "outcome": outcome.rawValue, "experiment": experiment, "experiment_id": experimentID,
            "mlflow_run_id": mlflowRunID, "url": url,
        ]
    }
}
