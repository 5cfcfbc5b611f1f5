import Foundation
import TestSupport
import Testing
import Workflows

/// The built `athanor serve-model` (which runs `athanor-serve model`) on loopback, asked with curl.
@Suite(.serialized) struct LiveModelServerTests {
    /// Runs `athanor serve-model ARGUMENTS --port 0` in `folder` until `body` returns, with its base address.
    func serving(_ arguments: [String], in folder: URL, _ body: (String) throws -> Void) throws {
        let process = Process()
        process.executableURL = BinaryRunner.binary
        process.arguments = ["serve-model"] + arguments + ["--port", "0"]
        process.currentDirectoryURL = folder
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        var line = Data()
        while let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line += byte
        }
        let text = String(decoding: line, as: UTF8.self)
        let url = try #require(text.split(separator: " ").first { $0.hasPrefix("http://") }.map(String.init))
        try body(String(url.dropLast("invocations".count)))
    }

    func curl(_ arguments: [String]) throws -> String {
        try BinaryRunner.run(["-s"] + arguments, executable: URL(fileURLWithPath: "/usr/bin/curl")).stdout
    }

    @Test func aRunsModelAndItsExportAnswerAlike() throws {
        let fixture = try ModelProject()
        defer { fixture.remove() }
        let console = CapturedConsole()
        let invocation = Invocation(console: console, directory: fixture.folder.url, command: ["athanor"])
        #expect(ExportWorkflow(reference: "latest:model", output: "m.athanor", in: invocation).run() == .success)
        let body =
            "{\"dataframe_split\":{\"columns\":[\"size\",\"colour\",\"weight\"],\"data\":[[1,\"red\",2],[null,\"blue\",-3]]}}"
        var answers: [String] = []
        for model in ["latest:model", "m.athanor"] {
            try serving([model], in: fixture.folder.url) { url in
                answers.append(try curl(["-H", "Content-Type: application/json", "-d", body, url + "invocations"]))
                #expect(try curl([url + "health"]) == "{\"status\":\"ok\"}\n")
                #expect(try curl(["-d", "{", url + "invocations"]).contains("\"error_code\":\"BAD_REQUEST\""))
                #expect(try curl([url + "metrics"]).contains("athanor_requests_total{code=\"400\"} 1\n"))
            }
        }
        #expect(answers.count == 2 && answers[0] == answers[1])
        #expect(answers.first?.hasPrefix("{\"predictions\":[\"") == true)
    }
}
