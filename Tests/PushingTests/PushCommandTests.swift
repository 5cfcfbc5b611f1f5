import Foundation
import TestSupport
import Testing

extension MLflowTests {
    /// `athanor push` as a user types it: `athanor` runs `athanor-push`, found beside it.
    @Suite struct Command {
        static let notebook = """
            ---
            title: Blobs from the command line
            ---

            ```params
            seed: 2
            ```

            ```step data
            op: load
            path: blobs.csv
            target: label
            ```

            ```step split
            op: split
            input: data
            seed: ${seed}
            ```

            ```step model
            op: train
            model: logistic
            input: split.train
            ```

            ```step eval
            op: evaluate
            model: model
            input: split.test
            metrics: [accuracy]
            ```
            """

        @Test func aRecordedRunIsPushedByTheCommand() throws {
            let server = try MLflowTestServer.server()
            let folder = try TemporaryFolder(prefix: "athanor-push-cli")
            defer { folder.remove() }
            try folder.write(Self.notebook, to: "nb.md")
            var lines = ["a,b,label"]
            for i in 0..<80 { lines.append("\(i % 9),\(i % 2 * 5 + i % 3),\(i % 2 == 0 ? "left" : "right")") }
            try folder.write(lines.joined(separator: "\n") + "\n", to: "blobs.csv")
            let ran = try BinaryRunner.run(["run", "nb.md", "--json"], in: folder.url)
            try #require(ran.status == 0, "\(ran.stderr)")
            let run = try #require(try JSONSerialization.jsonObject(with: Data(ran.stdout.utf8)) as? [String: Any])
            let id = try #require(run["id"] as? String)

            let pushed = try BinaryRunner.run(
                ["push", "--json"], in: folder.url, environment: ["MLFLOW_TRACKING_URI": server.url])
            #expect(pushed.status == 0, "\(pushed.stderr)")
            let json = try #require(
                try JSONSerialization.jsonObject(with: Data(pushed.stdout.utf8)) as? [[String: Any]])
            let found = try server.read(id)
            try #require(found.count == 1 && json.count == 1, "\(found) \(json)")
            #expect(json[0]["mlflow_run_id"] as? String == found[0]["run_id"] as? String)
            #expect(json[0]["experiment"] as? String == "Blobs from the command line")
            #expect((found[0]["params"] as? [String: String]) == ["seed": "2"])
            #expect((found[0]["metrics"] as? [String: Any])?["eval.accuracy"] != nil)
            let loss = (found[0]["histories"] as? [String: [[Any]]])?["model.loss"]
            #expect((loss?.count ?? 0) == ((run["series"] as? [String: [Any]])?["model.loss"]?.count ?? -1))
            #expect(((found[0]["datasets"] as? [[String: Any]])?.first?["name"] as? String) == "blobs.csv")
            #expect(
                ((found[0]["artifacts"] as? [[String: Any]]) ?? []).contains {
                    $0["path"] as? String == "report/\(id).html"
                })
        }

        /// `athanor push`'s options and help are athanor-push's own: `athanor` hands them over unparsed.
        @Test func helpAndMistakesAreAthanorPushs() throws {
            let help = try BinaryRunner.run(["push", "--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("USAGE: athanor push") && help.stdout.contains("--experiment <experiment>"))
            let wrong = try BinaryRunner.run(["push", "--experimnt", "x"])
            #expect(wrong.status == 2)
            #expect(wrong.stderr.hasPrefix("athanor: error: unknown option '--experimnt'"), "\(wrong.stderr)")
        }

        @Test func aMissingAthanorPushIsSaid() throws {
            let folder = try TemporaryFolder(prefix: "athanor-alone")
            defer { folder.remove() }
            let alone = folder.url.appendingPathComponent("athanor")
            try FileManager.default.copyItem(at: BinaryRunner.binary, to: alone)

            let result = try BinaryRunner.run(
                ["push", "--mlflow", "http://127.0.0.1:1"], in: folder.url, executable: alone)
            #expect(result.status == 2)
            #expect(
                result.stderr
                    == "athanor: error: 'athanor-push' is not installed beside athanor (build it with "
                    + "'swift build --product athanor-push' and put it in the same folder as athanor)\n")
        }
    }
}
