import Foundation
import TestSupport
import Testing

/// Several `athanor run` processes at once on one project, as a cluster runs them: each run records its own
/// command step's files, and the cache entries they leave serve the right files to later runs.
@Suite struct ConcurrencyCommandTests {
    /// The notebook: one command step that waits, so that the runs overlap, then writes its seed, read from
    /// `ATHANOR_PARAMS`, into `ATHANOR_OUTPUT`.
    static let notebook = """
        ```params
        seed: 0
        ```

        ```step job
        run: sh job.sh
        inputs: [job.sh]
        ```
        """

    static let script = """
        sleep 1
        seed=$(tr -d ' \\n' < "$ATHANOR_PARAMS" | sed 's/.*"seed":\\([0-9]*\\).*/\\1/')
        echo "seed $seed" > "$ATHANOR_OUTPUT/seed.txt"
        """

    /// `athanor ARGUMENTS` started in `directory`, its standard output going to a file (a pipe left unread
    /// could fill and block it), standard error discarded.
    struct Started {
        let process: Process
        let output: URL

        init(_ arguments: [String], in directory: URL) throws {
            output = directory.appendingPathComponent("stdout-\(UUID().uuidString).json")
            _ = FileManager.default.createFile(atPath: output.path, contents: nil)
            process = Process()
            process.executableURL = BinaryRunner.binary
            process.arguments = arguments
            process.currentDirectoryURL = directory
            process.standardOutput = try FileHandle(forWritingTo: output)
            process.standardError = FileHandle.nullDevice
            try process.run()
        }

        /// Waits for the end; the JSON the run printed.
        func finish() throws -> [String: Any] {
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            let data = try Data(contentsOf: output)
            return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        }
    }

    /// The one artifact `run` records for step `job`: its name and, read from the cache, its content.
    static func artifact(of run: [String: Any], in directory: URL) throws -> (name: String, content: String) {
        let artifacts = try #require(run["artifacts"] as? [[String: Any]])
        try #require(artifacts.count == 1, "\(artifacts)")
        let name = try #require(artifacts[0]["name"] as? String)
        let sha256 = try #require(artifacts[0]["sha256"] as? String)
        let object = directory.appendingPathComponent(
            ".athanor/cache/objects/\(sha256.prefix(2))/\(sha256.dropFirst(2))")
        return (name, try String(contentsOf: object, encoding: .utf8))
    }

    static func caches(of run: [String: Any]) -> [String] {
        ((run["steps"] as? [[String: Any]]) ?? []).map { $0["cache"] as? String ?? "-" }
    }

    @Test func fourRunsAtOnceEachRecordTheirOwnFileAndCacheIt() throws {
        try fourRunsAtOnce(notebook: Self.notebook, script: Self.script, artifact: "seed.txt")
    }

    /// `outputs:` lie beside the notebook, where every run writes them: the runs take turns at the step.
    @Test func fourRunsAtOnceOfAStepWithOutputsTakeTurns() throws {
        let notebook = Self.notebook.replacingOccurrences(
            of: "inputs: [job.sh]", with: "inputs: [job.sh]\noutputs: [result.txt]")
        let script = """
            sleep 0.3
            seed=$(tr -d ' \\n' < "$ATHANOR_PARAMS" | sed 's/.*"seed":\\([0-9]*\\).*/\\1/')
            echo "seed $seed" > result.txt
            sleep 1
            """
        try fourRunsAtOnce(notebook: notebook, script: script, artifact: "result.txt")
    }

    /// Runs `notebook` with `script` as `job.sh` for four seeds at once, then once more each, checking that
    /// every run recorded, and every hit served, the file `artifact` of its own seed.
    func fourRunsAtOnce(notebook: String, script: String, artifact name: String) throws {
        let project = try RunCommandTests.Project(notebook: notebook)
        defer { project.remove() }
        try script.write(to: project.directory.appendingPathComponent("job.sh"), atomically: true, encoding: .utf8)
        let seeds = [1, 2, 3, 4]
        let started = try seeds.map { seed in
            try Started(["run", "nb.md", "-q", "--json", "-p", "seed=\(seed)"], in: project.directory)
        }
        let runs = try started.map { try $0.finish() }
        for (seed, run) in zip(seeds, runs) {
            #expect(Self.caches(of: run) == ["miss"])
            let id = try #require(run["id"] as? String)
            // As the store recorded it.
            let shown = try #require(try project.json(["show", id, "--json"]) as? [String: Any])
            #expect(shown["status"] as? String == "succeeded")
            let artifact = try Self.artifact(of: shown, in: project.directory)
            #expect(artifact.name == name)
            #expect(artifact.content == "seed \(seed)\n", "run \(id) of seed \(seed)")
        }
        // Nothing of the four is left in the project's scratch space.
        let tmp = project.directory.appendingPathComponent(".athanor/tmp").path
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp) == [])

        // Each seed again, one after the other: a hit, serving that seed's file.
        for seed in seeds {
            let again = try Started(["run", "nb.md", "-q", "--json", "-p", "seed=\(seed)"], in: project.directory)
            let run = try again.finish()
            #expect(Self.caches(of: run) == ["hit"], "seed \(seed)")
            #expect(try Self.artifact(of: run, in: project.directory).content == "seed \(seed)\n")
        }
    }

    /// A run killed with SIGKILL records nothing more: `runs` and `show` say it was abandoned, not running.
    @Test func aKilledRunIsShownAsAbandoned() throws {
        let project = try RunCommandTests.Project(
            notebook: """
                ```step wait
                run: sleep 3
                ```
                """)
        defer { project.remove() }
        let run = try Started(["run", "nb.md", "-q"], in: project.directory)
        // Wait until the command step has its scratch directory, then kill the run outright.
        let tmp = project.directory.appendingPathComponent(".athanor/tmp").path
        for _ in 0..<400 where ((try? FileManager.default.contentsOfDirectory(atPath: tmp)) ?? []).isEmpty {
            Thread.sleep(forTimeInterval: 0.025)
        }
        kill(run.process.processIdentifier, SIGKILL)
        run.process.waitUntilExit()
        let list = try #require(try project.json(["runs", "--json"]) as? [[String: Any]])
        #expect(list.map { $0["status"] as? String } == ["abandoned"])
        let id = try #require(list.first?["id"] as? String)
        let shown = try project.athanor(["show", id])
        #expect(shown.stdout.split(separator: "\n").first.map(String.init) == "run \(id)  abandoned")
    }
}
