import Foundation
import Runs
import TestSupport
import Testing

/// The built `athanor-serve` (and `athanor serve`, which runs it) listening on loopback, asked with curl.
@Suite(.serialized) struct LiveServerTests {
    static let serve = BinaryRunner.binary.deletingLastPathComponent().appendingPathComponent("athanor-serve")

    /// Runs `athanor-serve ARGUMENTS` until `body` returns, with the address it printed.
    func serving(_ arguments: [String], _ body: (String) throws -> Void) throws {
        let process = Process()
        process.executableURL = Self.serve
        process.arguments = arguments + ["--port", "0"]
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
        try body(url)
    }

    /// `curl ARGUMENTS`: what it printed (`-w` formats included).
    func curl(_ arguments: [String]) throws -> String {
        let output = try BinaryRunner.run(
            ["-s", "-o", "/dev/null", "-w", "%{http_code}"] + arguments,
            executable: URL(fileURLWithPath: "/usr/bin/curl"))
        return output.stdout
    }

    @Test func servesOnLoopbackAndSeesNewRuns() throws {
        let fixture = try ServeFixture()
        defer { fixture.folder.remove() }
        try serving(["--project", fixture.folder.url.path]) { url in
            #expect(url.hasPrefix("http://127.0.0.1:"))
            #expect(try curl([url]) == "200")
            #expect(try curl([url + "runs/r2"]) == "200")
            #expect(try curl([url + "api/runs/r9"]) == "404")
            #expect(try curl(["--path-as-is", url + "runs/../../etc/passwd"]) == "404")
            try RunStore(path: fixture.project.storePath).save(
                ServeFixture.run("r9", minute: 9, lr: "0.3", accuracy: 0.5))
            #expect(try curl([url + "api/runs/r9"]) == "200")
        }
    }

    @Test func anotherHostWithoutATokenExitsBeforeListening() throws {
        let fixture = try ServeFixture()
        defer { fixture.folder.remove() }
        for executable in [Self.serve, BinaryRunner.binary] {
            let output = try BinaryRunner.run(
                (executable == BinaryRunner.binary ? ["serve"] : []) + ["--host", "0.0.0.0", "--port", "0"],
                in: fixture.folder.url, executable: executable, environment: ["ATHANOR_TOKEN": ""])
            #expect(output.status == 2)
            #expect(output.stdout.isEmpty)
            #expect(output.stderr.hasPrefix("athanor: error: listening on 0.0.0.0 needs a token"))
        }
    }

    @Test func athanorServeSaysWhenAthanorServeIsMissing() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let lonely = folder.url.appendingPathComponent("athanor")
        try FileManager.default.copyItem(at: BinaryRunner.binary, to: lonely)
        let output = try BinaryRunner.run(["serve"], in: folder.url, executable: lonely)
        #expect(output.status == 2)
        #expect(output.stderr.hasPrefix("athanor: error: 'athanor-serve' is not installed beside athanor"))
    }

    /// In a network namespace of its own with a second loopback address: even 127.0.0.2 needs the token.
    @Test func theTokenRuleOnASecondLoopbackAddress() throws {
        let fixture = try ServeFixture()
        defer { fixture.folder.remove() }
        let script = """
            set -u
            ip link set lo up && ip addr add 127.0.0.2/8 dev lo || exit 90
            "$SERVE" --project "$PROJECT" --host 127.0.0.2 --port 8765 >/dev/null 2>&1; echo "untokened $?"
            ATHANOR_TOKEN=T "$SERVE" --project "$PROJECT" --host 127.0.0.2 --port 8765 > "$PROJECT/out" 2>&1 &
            pid=$!
            for i in $(seq 100); do grep -q serving "$PROJECT/out" && break; sleep 0.1; done
            u=http://127.0.0.2:8765
            echo "none $(curl -s -o /dev/null -w '%{http_code}' $u/api/runs)"
            echo "wrong $(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer X' $u/api/runs)"
            echo "bearer $(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer T' $u/api/runs)"
            echo "query $(curl -s -o /dev/null -w '%{http_code}' -c "$PROJECT/jar" "$u/?token=T")"
            echo "cookie $(curl -s -o /dev/null -w '%{http_code}' -b "$PROJECT/jar" $u/runs/r2)"
            kill $pid
            """
        let output = try BinaryRunner.run(
            ["-n", "--fork", "sh", "-c", script], executable: URL(fileURLWithPath: "/usr/bin/unshare"),
            environment: ["SERVE": Self.serve.path, "PROJECT": fixture.folder.url.path])
        #expect(output.stdout == "untokened 2\nnone 401\nwrong 401\nbearer 200\nquery 303\ncookie 200\n")
    }
}
