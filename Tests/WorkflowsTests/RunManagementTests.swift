import Foundation
import TestSupport
import Testing
import Workflows

/// `rm`, `sweeps`, `runs -n/--status` and `latest`: managing what the store holds.
@Suite struct RunManagementTests {
    /// Two plain runs and a sweep of two, oldest first.
    func project() throws -> (Workspace, [String], String) {
        let workspace = try Workspace()
        try workspace.folder.write(trainingNotebook, to: "nb.md")
        var ids: [String] = []
        for epochs in [1, 2] {
            let (status, console) = workspace.run("nb.md", ["epochs=\(epochs)"])
            #expect(status == .success, "\(console.error)")
            ids.append(try Workspace.record(console)["id"] as? String ?? "")
        }
        var options = RunWorkflow.Options(notebook: workspace.folder.path("nb.md"))
        (options.sweeps, options.json, options.jobs) = (["epochs=1,3"], true, 1)
        let (invocation, console) = workspace.invocation("run nb.md --sweep epochs=1,3")
        #expect(RunWorkflow(options, in: invocation).run() == .success, "\(console.error)")
        let sweep = try Workspace.record(console)["sweep"] as? String ?? ""
        return (workspace, ids, sweep)
    }

    func invocation(_ workspace: Workspace, answer: String?) -> (Invocation, CapturedConsole) {
        let console = CapturedConsole()
        var ask: (@Sendable (String) -> String?)?
        if let answer { ask = { @Sendable _ in answer } }
        return (Invocation(console: console, directory: workspace.url, command: ["athanor", "rm"], ask: ask), console)
    }

    @Test func rmForgetsRunsAndSweepsSoThatGCFreesTheirCache() throws {
        let (workspace, ids, sweep) = try project()
        defer { workspace.remove() }
        let reports = workspace.url.appendingPathComponent(".athanor/reports")
        #expect(FileManager.default.fileExists(atPath: reports.appendingPathComponent("\(ids[1]).html").path))
        let (invocation, console) = invocation(workspace, answer: nil)
        #expect(ManageWorkflow(in: invocation).remove([ids[1], sweep], yes: true) == .success, "\(console.error)")
        #expect(try workspace.runs().map { $0["id"] as? String } == [ids[0]])
        #expect(!FileManager.default.fileExists(atPath: reports.appendingPathComponent("\(ids[1]).html").path))
        #expect(!FileManager.default.fileExists(atPath: reports.appendingPathComponent("sweep-\(sweep).html").path))
        let (gc, collected) = workspace.invocation("cache gc")
        #expect(CacheWorkflow(in: gc).collect() == .success)
        // The model and evaluation of epochs=2 and epochs=3 were used by no run left: freed.
        #expect(
            collected.output.hasPrefix("removed ") && !collected.output.hasPrefix("removed 0 "), "\(collected.output)")
    }

    @Test func rmAsksOnATerminalAndRefusesWithoutOne() throws {
        let (workspace, ids, _) = try project()
        defer { workspace.remove() }
        let (noTerminal, refused) = invocation(workspace, answer: nil)
        #expect(ManageWorkflow(in: noTerminal).remove(["latest"], yes: false) == .invalid)
        #expect(refused.error.hasPrefix("athanor: error: rm would forget 1 run ("), "\(refused.error)")
        #expect(refused.error.hasSuffix("); say --yes to do so without a terminal to ask on\n"))
        let (declined, no) = invocation(workspace, answer: "n")
        #expect(ManageWorkflow(in: declined).remove([ids[0]], yes: false) == .failure)
        #expect(no.error == "athanor: nothing removed\n")
        #expect(try workspace.runs().count == 4)
        let (accepted, _) = invocation(workspace, answer: "y")
        #expect(ManageWorkflow(in: accepted).remove([ids[0]], yes: false) == .success)
        #expect(try workspace.runs().count == 3)
    }

    @Test func latestNamesTheNewestRunsWhereverARunIsTaken() throws {
        let (workspace, ids, _) = try project()
        defer { workspace.remove() }
        let all = try workspace.runs().compactMap { $0["id"] as? String }
        for (text, expected) in [("latest", all[0]), ("latest~1", all[1]), ("latest~3", ids[0])] {
            let (invocation, console) = workspace.invocation("show \(text) --json")
            #expect(ReadWorkflow(in: invocation).show(text, json: true) == .success, "\(console.error)")
            #expect(try Workspace.record(console)["id"] as? String == expected, "\(text)")
        }
        let (invocation, console) = workspace.invocation("show latest~4")
        #expect(ReadWorkflow(in: invocation).show("latest~4", json: false) == .invalid)
        #expect(console.error == "athanor: error: 'latest~4': only 4 runs are recorded\n")
    }

    @Test func runsTakesALimitAStatusAndShowsTheSweep() throws {
        let (workspace, _, sweep) = try project()
        defer { workspace.remove() }
        let (invocation, console) = workspace.invocation("runs -n 3")
        #expect(ReadWorkflow(in: invocation).list(notebook: nil, sweep: nil, limit: 3, json: false) == .success)
        let lines = console.output.split(separator: "\n")
        #expect(lines.count == 4 && lines[0].hasPrefix("ID ") && lines[0].contains("  SWEEP  "), "\(console.output)")
        #expect(lines[1].contains("  \(sweep)  ") && lines[3].contains("  -  "))
        let (failed, none) = workspace.invocation("runs --status failed")
        #expect(ReadWorkflow(in: failed).list(notebook: nil, sweep: nil, status: .failed, json: true) == .success)
        #expect(none.output == "[]\n" || none.output == "[\n\n]\n", "\(none.output)")
    }

    @Test func sweepsListsEachSweepOnce() throws {
        let (workspace, _, sweep) = try project()
        defer { workspace.remove() }
        let (invocation, console) = workspace.invocation("sweeps")
        #expect(ManageWorkflow(in: invocation).sweeps(json: false) == .success)
        let lines = console.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 2 && lines[0].hasPrefix("SWEEP "))
        #expect(lines[1].hasPrefix("\(sweep)  ") && lines[1].hasSuffix("  2     nb.md     epochs=1,3"), "\(lines)")
    }
}
