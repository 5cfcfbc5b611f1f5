import Foundation
import Pushing
import TestSupport
import Testing
import Workflows

extension MLflowTests {
    /// What goes wrong between `athanor push` and a server, and what the user reads then.
    @Suite struct Failures {
        @Test func aServerThatFailsMidPushIsResumedWithoutDuplicates() throws {
            let server = try MLflowTestServer.server()
            let fixture = try PushFixture()
            defer { fixture.folder.remove() }
            let run = PushFixture.run(points: 3500)
            try fixture.save(run)
            // The experiment (looked up, created), the search, the run and two batches pass; the third batch fails
            // twice, as often as it is tried.
            let proxy = try MLflowProxy(upstream: server.port, in: fixture.folder.url, failAfter: 6, failCount: 2)
            defer { proxy.stop() }

            let failed = fixture.push([run.id], url: proxy.url, environment: ["ATHANOR_PUSH_ATTEMPTS": "2"])
            #expect(failed.status == .failure)
            #expect(
                failed.error
                    == "athanor: error: run \(run.id): the MLflow server failed on runs/log-batch with HTTP 503 2 times: "
                    + "injected failure\nathanor: note: 0 of 1 runs pushed, 1 not or not wholly; 'athanor push' again completes "
                    + "them without duplicates\n")
            let partial = try #require(try fixture.pushes(to: proxy.url)[run.id])
            #expect(partial.done == 2 && partial.completed == nil)

            let before = proxy.requests.count
            let resumed = fixture.push([], url: proxy.url)
            #expect(resumed.status == .success, "\(resumed.error)")
            #expect(resumed.output.hasPrefix("\(run.id) completed at \(proxy.url)/#/experiments/"))
            // 3500 points make four batches: resumed at the third, without creating the run again.
            let again = proxy.requests.dropFirst(before)
            #expect(again.filter { $0.contains("/runs/log-batch") }.count == 2)
            #expect(!again.contains { $0.contains("/runs/create") })
            let found = try server.read(run.id)
            try #require(found.count == 1, "\(found)")
            #expect((found[0]["histories"] as? [String: [[Any]]])?["model.loss"]?.count == 3500)
            #expect((found[0]["tags"] as? [String: String])?["athanor.push"] == "complete")
        }

        @Test func aServerRestartedMidPushIsCompleted() throws {
            let server = try MLflowTestServer.server()
            let fixture = try PushFixture()
            defer { fixture.folder.remove() }
            let run = PushFixture.run(points: 2500)
            try fixture.save(run)
            let proxy = try MLflowProxy(upstream: server.port, in: fixture.folder.url, failAfter: 4, failCount: 1)
            defer { proxy.stop() }
            #expect(
                fixture.push([run.id], url: proxy.url, environment: ["ATHANOR_PUSH_ATTEMPTS": "1"]).status == .failure)

            try server.stop()
            let down = fixture.push([run.id], url: server.url, environment: ["ATHANOR_PUSH_ATTEMPTS": "2"])
            try server.start()
            #expect(down.status == .failure)
            #expect(
                down.error.hasPrefix(
                    "athanor: error: run \(run.id): cannot reach the MLflow server at \(server.url) (connection refused; "
                        + "2 attempts); is it running?"))

            let completed = fixture.push([run.id], url: server.url)
            #expect(completed.status == .success, "\(completed.error)")
            #expect(completed.output.hasPrefix("\(run.id) completed at \(server.url)/#/experiments/"))
            let found = try server.read(run.id)
            try #require(found.count == 1, "\(found)")
            let loss = try #require((found[0]["histories"] as? [String: [[Any]]])?["model.loss"])
            #expect(loss.count == 2500)
            #expect(Set(loss.compactMap { $0[0] as? Int }).count == 2500)
        }

        @Test func nothingAnswersAtTheURL() throws {
            let fixture = try PushFixture()
            defer { fixture.folder.remove() }
            let run = PushFixture.run()
            try fixture.save(run)
            let port = try Self.closedPort()

            let pushed = fixture.push(
                [run.id], url: "http://127.0.0.1:\(port)", environment: ["ATHANOR_PUSH_ATTEMPTS": "2"])
            #expect(pushed.status == .failure)
            #expect(
                pushed.error
                    == "athanor: error: run \(run.id): cannot reach the MLflow server at http://127.0.0.1:\(port) "
                    + "(connection refused; 2 attempts); is it running? 'mlflow server' starts one, '--mlflow URL' or "
                    + "MLFLOW_TRACKING_URI names it\nathanor: note: 0 of 1 runs pushed, 1 not or not wholly; 'athanor push' "
                    + "again completes them without duplicates\n")
            #expect(try fixture.pushes(to: "http://127.0.0.1:\(port)").isEmpty)
            #expect(try RunStore(path: fixture.project.storePath).run(run.id) != nil)
        }

        @Test func aURLThatIsNotMLflow() throws {
            let server = try MLflowTestServer.server()
            let fixture = try PushFixture()
            defer { fixture.folder.remove() }
            let run = PushFixture.run()
            try fixture.save(run)

            let pushed = fixture.push([run.id], url: server.url + "/elsewhere")
            #expect(pushed.status == .failure)
            #expect(
                pushed.error.hasPrefix(
                    "athanor: error: run \(run.id): \(server.url)/elsewhere does not answer as an MLflow tracking server: "
                        + "experiments/get-by-name gave HTTP 404"))
            let scheme = fixture.push([run.id], url: "file:///tmp/mlruns")
            #expect(scheme.status == .invalid)
            #expect(
                scheme.error
                    == "athanor: error: 'file:///tmp/mlruns' is not an MLflow server's http:// or https:// URL "
                    + "(athanor push talks to a tracking server)\n")
            let none = fixture.push([run.id], url: nil)
            #expect(none.error == "athanor: error: give the MLflow server with --mlflow URL or MLFLOW_TRACKING_URI\n")
        }

        @Test func aDeletedExperimentIsRefused() throws {
            let server = try MLflowTestServer.server()
            let fixture = try PushFixture()
            defer { fixture.folder.remove() }
            let first = PushFixture.run()
            let second = PushFixture.run()
            try fixture.save(first)
            try fixture.save(second)
            let name = "gone \(first.id)"
            #expect(fixture.push([first.id], url: server.url, experiment: name).status == .success)
            let id = try MLflowTestServer.python(["mlflow_delete_experiment.py", server.url, name])
                .trimmingCharacters(in: .whitespacesAndNewlines)

            let pushed = fixture.push([second.id], url: server.url, experiment: name)
            #expect(pushed.status == .invalid)
            #expect(
                pushed.error.hasPrefix(
                    "athanor: error: the experiment '\(name)' (id \(id)) is deleted on \(server.url); restore it "
                        + "('mlflow experiments restore --experiment-id \(id)') or push with --experiment OTHER\n"))
            #expect(try server.read(second.id).isEmpty)
        }

        @Test func aRunStillRunningIsNotPushed() throws {
            let server = try MLflowTestServer.server()
            let fixture = try PushFixture()
            defer { fixture.folder.remove() }
            var run = PushFixture.run()
            run.status = .running
            run.finished = nil
            try fixture.save(run)

            let named = fixture.push([run.id], url: server.url)
            #expect(named.status == .invalid)
            #expect(
                named.error
                    == "athanor: error: run \(run.id) is still running; push it once it has ended (its metrics are not "
                    + "final)\n")
            let all = fixture.push([], url: server.url)
            #expect(all.error.contains("athanor: note: run \(run.id) is still running; not pushed\n"))
            #expect(try server.read(run.id).isEmpty)
        }

        @Test(arguments: [
            (["MLFLOW_TRACKING_TOKEN": "t0ken-s3cret"], "Bearer t0ken-s3cret"),
            (
                ["MLFLOW_TRACKING_USERNAME": "ada", "MLFLOW_TRACKING_PASSWORD": "pa55-s3cret"],
                "Basic " + Data("ada:pa55-s3cret".utf8).base64EncodedString()
            ),
        ])
        func credentialsGoInEveryRequestAndNowhereElse(environment: [String: String], header: String) throws {
            let server = try MLflowTestServer.server()
            let fixture = try PushFixture()
            defer { fixture.folder.remove() }
            let run = PushFixture.run()
            try fixture.save(run)
            let proxy = try MLflowProxy(upstream: server.port, in: fixture.folder.url)
            defer { proxy.stop() }

            let pushed = fixture.push([run.id], url: proxy.url, environment: environment)
            #expect(pushed.status == .success, "\(pushed.error)")
            let requests = proxy.requests
            #expect(requests.count > 5)
            #expect(requests.allSatisfy { $0.hasSuffix(" " + header) }, "\(requests)")
            #expect(!(pushed.output + pushed.error).contains("s3cret"))
        }

        /// A port on which nothing listens.
        static func closedPort() throws -> Int {
            let text = try MLflowTestServer.python(["free_port.py"])
            return try #require(Int(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
    }
}
