import Foundation
import TestSupport
import Testing

/// Defects 5 and 6: a reader that goes away, a full disk or a closed terminal never leaves a run half-done,
/// a lost result is exit 1, and a failed step's reason is printed wherever standard error goes.
@Suite struct OutputLossCommandTests {
    static let notebook = """
        ```step data
        op: synthetic
        kind: classification
        samples: 200
        features: 4
        classes: 2
        ```

        ```step model
        op: train
        model: logistic
        input: data
        ```
        """

    static let slowCommand = """
        ```step wait
        run: echo $$ > wait.pid; sleep 30
        ```
        """

    static let failing = """
        ```step data
        op: synthetic
        kind: classification
        samples: 50
        features: 2
        classes: 2
        ```

        ```step guard
        run: echo "the data is too small" >&2; exit 3
        ```
        """

    /// `athanor ARGUMENTS` through `/bin/sh -c`, for redirections a user types.
    static func shell(_ line: String, in folder: TemporaryFolder) throws -> CommandOutput {
        try BinaryRunner.run(
            ["-c", line.replacingOccurrences(of: "athanor", with: "'\(BinaryRunner.binary.path)'")],
            in: folder.url, executable: URL(fileURLWithPath: "/bin/sh"))
    }

    static func runs(in folder: TemporaryFolder) throws -> [[String: Any]] {
        let output = try BinaryRunner.run(["runs", "--json"], in: folder.url)
        return try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]] ?? []
    }

    @Test func aReaderThatGoesAwayDoesNotStopTheRun() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write(Self.notebook, to: "nb.md")
        let piped = try Self.shell("athanor run nb.md 2>&1 | head -c 1 >/dev/null", in: folder)
        #expect(piped.status == 0)
        let runs = try Self.runs(in: folder)
        #expect(runs.map { $0["status"] as? String } == ["succeeded"])
        #expect(FileManager.default.fileExists(atPath: folder.path("nb.html")))
    }

    @Test func aFullDiskForTheResultIsExitOne() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write(Self.notebook, to: "nb.md")
        let lost = try Self.shell("athanor run nb.md --json -q >/dev/full", in: folder)
        #expect(lost.status == 1)
        #expect(lost.stderr == "athanor: error: standard output could not be written; the result is lost\n")
        let progress = try Self.shell("athanor run nb.md 2>/dev/full", in: folder)
        #expect(progress.status == 0, "losing progress loses no result")
        #expect(try Self.runs(in: folder).map { $0["status"] as? String } == ["succeeded", "succeeded"])
    }

    @Test func aClosedTerminalInterruptsTheRunAndStopsItsCommands() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write(Self.slowCommand, to: "nb.md")
        let process = try BinaryRunner.start(["run", "nb.md", "-q"], in: folder.url)
        var pid: Int32?
        for _ in 0..<400 where pid == nil {
            Thread.sleep(forTimeInterval: 0.05)
            pid = (try? String(contentsOfFile: folder.path("wait.pid"), encoding: .utf8))
                .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        let command = try #require(pid, "the command step should have started")
        kill(process.processIdentifier, SIGHUP)
        process.waitUntilExit()
        #expect(process.terminationStatus == 128 + SIGHUP)
        #expect(try Self.runs(in: folder).map { $0["status"] as? String } == ["interrupted"])
        var gone = false
        for _ in 0..<100 where !gone {
            gone = kill(command, 0) != 0
            if !gone { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(gone, "the command step's process should be killed with the run")
    }

    @Test func withoutATerminalAFailedStepsReasonIsPrintedEvenQuiet() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write(Self.failing, to: "nb.md")
        for arguments in [["run", "nb.md"], ["run", "nb.md", "-q"]] {
            let output = try BinaryRunner.run(arguments, in: folder.url)
            #expect(output.status == 1)
            let failure = """
                nb.md:9:1: error: step 'guard' failed: the command exited with status 3; the end of its standard error:
                the data is too small

                """
            #expect(
                output.stderr.hasSuffix(
                    failure
                        + (arguments.contains("-q")
                            ? ""
                            : "run \(try #require(Self.runs(in: folder).first?["id"] as? String)) failed; report nb.html\n")
                ), "\(output.stderr)")
        }
    }
}
