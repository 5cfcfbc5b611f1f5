import Foundation
import Pushing
import TestSupport
import Testing
import Workflows

/// `athanor push` against a real MLflow server, read back with MLflow's own Python client. One serialized
/// suite: the restart test stops the shared server.
@Suite(.serialized, .enabled(if: MLflowTestServer.enabled)) struct MLflowTests {
    @Suite struct Push {
        @Test func aRunArrivesWhole() throws {
            let server = try MLflowTestServer.server()
            let fixture = try PushFixture()
            defer { fixture.folder.remove() }
            let run = PushFixture.run()
            try fixture.save(run)

            let pushed = fixture.push([run.id], url: server.url)
            #expect(pushed.status == .success, "\(pushed.error)")
            let found = try server.read(run.id)
            try #require(found.count == 1, "\(found)")
            let remote = found[0]
            let id = try #require(remote["run_id"] as? String)
            #expect(pushed.output.hasPrefix("\(run.id) pushed to \(server.url)/#/experiments/"))
            #expect(
                pushed.output.contains(
                    "/runs/\(id) (3 params, 2 metrics with 40 series points, 1 dataset, 4 artifacts)"))
            #expect(remote["experiment"] as? String == "Blobs \(run.id)")
            #expect(remote["status"] as? String == "FINISHED")
            #expect(remote["start_time"] as? Int == 1_790_000_000_250)
            #expect(remote["end_time"] as? Int == 1_790_000_002_500)
            #expect(remote["params"] as? [String: String] == ["seed": "2", "optimizer": "adam", "hidden": "[64, 32]"])
            #expect(remote["metrics"] as? [String: String] == ["eval.accuracy": "0.9375", "model.loss": "0.025"])
            let histories = try #require(remote["histories"] as? [String: [[Any]]])
            let loss = try #require(histories["model.loss"])
            #expect(loss.map { $0[0] as? Int } == (1...40).map { $0 })
            #expect(loss.map { ($0[1] as? String).flatMap(Double.init) } == (1...40).map { 1.0 / Double($0) })
            let tags = try #require(remote["tags"] as? [String: String])
            let expected = [
                "athanor.run_id": run.id, "athanor.notebook": "exp/blobs.md", "athanor.status": "succeeded",
                "athanor.version": "9.9.9", "athanor.git_dirty": "false", "athanor.push": "complete",
                "mlflow.source.name": "exp/blobs.md", "mlflow.source.type": "LOCAL",
                "mlflow.source.git.commit": "abc123def", "mlflow.runName": "Blobs \(run.id) (\(run.id))",
                "mlflow.note.content": "first try", "baseline": "yes",
            ]
            #expect(tags.filter { expected[$0.key] != nil } == expected)
            let datasets = try #require(remote["datasets"] as? [[String: Any]])
            try #require(datasets.count == 1)
            #expect(datasets[0]["name"] as? String == "blobs.csv")
            #expect(
                datasets[0]["digest"] as? String == String(String(repeating: "0123456789abcdef", count: 4).prefix(36)))
            #expect(datasets[0]["source"] as? String == #"{"uri":"data\/blobs.csv"}"#)
            #expect(
                datasets[0]["tags"] as? [String: String] == [
                    "mlflow.data.context": "data", "athanor.sha256": String(repeating: "0123456789abcdef", count: 4),
                ])
            let artifacts = try #require(remote["artifacts"] as? [[String: Any]])
            #expect(
                artifacts.compactMap { $0["path"] as? String }.sorted() == [
                    "artifacts/job/out.txt", "metrics/eval.confusion.json", "notebook/blobs.md",
                    "report/\(run.id).html",
                ])
            let record = try #require(try fixture.pushes(to: server.url)[run.id])
            #expect(record.mlflowRunID == id && record.done == record.total && record.completed != nil)
        }

        @Test func aSecondPushAddsNothing() throws {
            let server = try MLflowTestServer.server()
            let fixture = try PushFixture()
            defer { fixture.folder.remove() }
            let run = PushFixture.run()
            try fixture.save(run)
            #expect(fixture.push([], url: server.url).status == .success)

            let again = fixture.push([run.id], url: server.url + "/")
            #expect(again.status == .success, "\(again.error)")
            #expect(again.output.hasPrefix("\(run.id) already at \(server.url)/#/experiments/"))
            let none = fixture.push([], url: server.url)
            #expect(none.output == "every run is already on \(server.url)\n")
            let found = try server.read(run.id)
            try #require(found.count == 1, "\(found)")
            let histories = try #require(found[0]["histories"] as? [String: [[Any]]])
            #expect(histories["model.loss"]?.count == 40)
            #expect((found[0]["datasets"] as? [Any])?.count == 1)
        }

        @Test func aSweepGoesAsItsRuns() throws {
            let server = try MLflowTestServer.server()
            let fixture = try PushFixture()
            defer { fixture.folder.remove() }
            let sweep = "s" + String(PushFixture.newID().prefix(7))
            var runs = [PushFixture.run(sweep: sweep), PushFixture.run(sweep: sweep)]
            runs[1].started += 10
            for run in runs { try fixture.save(run) }

            let pushed = fixture.push([sweep], url: server.url, experiment: "sweep \(sweep)", json: true)
            #expect(pushed.status == .success, "\(pushed.error)")
            let json = try #require(
                try JSONSerialization.jsonObject(with: Data(pushed.output.utf8)) as? [[String: Any]])
            #expect(Set(json.compactMap { $0["id"] as? String }) == Set(runs.map(\.id)))
            for run in runs {
                let entry = try #require(json.first { $0["id"] as? String == run.id })
                let found = try server.read(run.id)
                try #require(found.count == 1)
                #expect(entry["mlflow_run_id"] as? String == found[0]["run_id"] as? String)
                #expect(
                    entry["url"] as? String
                        == "\(server.url)/#/experiments/\(entry["experiment_id"] ?? "")/runs/\(found[0]["run_id"] ?? "")"
                )
                #expect(found[0]["experiment"] as? String == "sweep \(sweep)")
                #expect((found[0]["tags"] as? [String: String])?["athanor.sweep"] == sweep)
            }
        }

        @Test func tenThousandPointsAndLongValuesFit() throws {
            let server = try MLflowTestServer.server()
            let fixture = try PushFixture()
            defer { fixture.folder.remove() }
            var run = PushFixture.run(points: 10_000)
            run.parameters += (0..<150).map { RecordedParameter(name: "p\($0)", value: "\($0)", overridden: false) }
            run.parameters.append(
                RecordedParameter(name: "long", value: String(repeating: "x", count: 14_000), overridden: false))
            run.note = String(repeating: "é", count: 9000)
            try fixture.save(run)

            let pushed = fixture.push([run.id], url: server.url)
            #expect(pushed.status == .success, "\(pushed.error)")
            #expect(
                pushed.error.contains(
                    "athanor: note: run \(run.id): parameter 'long' is 14000 characters, more than MLflow's 6000: "
                        + "sent in 3 parts, long.1 to long.3\n"))
            #expect(
                pushed.error.contains(
                    "tag 'mlflow.note.content' is 9000 characters, more than MLflow's 8000: sent in 2 parts"))
            let found = try server.read(run.id)
            try #require(found.count == 1)
            let params = try #require(found[0]["params"] as? [String: String])
            #expect(params.count == 3 + 150 + 3)
            #expect(
                params["long.1"].map { $0 + (params["long.2"] ?? "") + (params["long.3"] ?? "") }
                    == String(repeating: "x", count: 14_000))
            let tags = try #require(found[0]["tags"] as? [String: String])
            #expect(tags["mlflow.note.content.2"] == String(repeating: "é", count: 1000))
            let histories = try #require(found[0]["histories"] as? [String: [[Any]]])
            #expect(histories["model.loss"]?.count == 10_000)
        }

        @Test func nanAndInfinityAreSaidAndSent() throws {
            let server = try MLflowTestServer.server()
            let fixture = try PushFixture()
            defer { fixture.folder.remove() }
            var run = PushFixture.run(points: 3)
            run.metrics += [
                MetricRecord(name: "eval.r2", value: .nan), MetricRecord(name: "eval.ratio", value: .infinity),
            ]
            try fixture.save(run)

            let pushed = fixture.push([run.id], url: server.url)
            #expect(pushed.status == .success, "\(pushed.error)")
            #expect(
                pushed.error.contains(
                    "2 metric values are NaN or infinite (eval.r2, eval.ratio): sent as NaN, Infinity or -Infinity; "
                        + "MLflow keeps NaN, and an infinity as ±1.8e308"))
            let metrics = try #require(try server.read(run.id).first?["metrics"] as? [String: String])
            #expect(metrics["eval.r2"] == "nan")
            #expect(metrics["eval.ratio"].flatMap(Double.init) == Double.greatestFiniteMagnitude)
        }
    }
}
