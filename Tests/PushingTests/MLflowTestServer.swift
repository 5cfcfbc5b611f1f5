import Foundation
import TestSupport
import Testing

/// A real MLflow tracking server, one for the whole test process (it takes 7 to 15 s to start), in a temporary
/// folder, on a free port, stopped when the tests end (its controller sees the end of its standard input).
///
/// MLflow comes from the virtual environment `ATHANOR_MLFLOW_VENV` (default `.build/mlflow-venv`, which
/// `scripts/setup.sh --mlflow` makes). Without it the tests are skipped, except under CI (`CI` set), where
/// they fail: CI must test against a real server.
final class MLflowTestServer: @unchecked Sendable {
    // @unchecked: `port` is set once, before the server is shared; stop and start run in one serialized suite.
    static let venv: String =
        ProcessInfo.processInfo.environment["ATHANOR_MLFLOW_VENV"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/mlflow-venv").path

    static var installed: Bool { FileManager.default.isExecutableFile(atPath: venv + "/bin/mlflow") }
    /// Whether the tests run: MLflow is installed, or CI requires it.
    static var enabled: Bool { installed || ProcessInfo.processInfo.environment["CI"] != nil }

    static let shared = Result { try MLflowTestServer() }

    static func server() throws -> MLflowTestServer { try shared.get() }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let directory: URL
    let process: Process
    let input = Pipe()
    let output = Pipe()
    private(set) var port = 0
    var url: String { "http://127.0.0.1:\(port)" }

    init() throws {
        guard Self.installed else {
            throw Failure(
                description: "MLflow is not installed in \(Self.venv): run scripts/setup.sh --mlflow, "
                    + "or set ATHANOR_MLFLOW_VENV to a virtual environment with mlflow==3.17.2")
        }
        directory = try TemporaryFolder(prefix: "athanor-mlflow").url
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.venv + "/bin/python")
        process.arguments = [
            try Fixtures.url("mlflow_server.py", in: .module).path, Self.venv + "/bin/mlflow", directory.path,
        ]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        port = try awaitReady()
    }

    /// Stops the server (its store stays), as a server that restarts does.
    func stop() throws {
        input.fileHandleForWriting.write(Data("stop\n".utf8))
        let line = try readLine()
        guard line == "stopped" else { throw Failure(description: "the server did not stop: '\(line)'") }
    }

    /// Starts it again on the same port and store.
    func start() throws {
        input.fileHandleForWriting.write(Data("start\n".utf8))
        _ = try awaitReady()
    }

    /// What the server holds for the Athanor run `id`, read with MLflow's own Python client: one entry per
    /// MLflow run tagged with it.
    func read(_ id: String) throws -> [[String: Any]] {
        let text = try Self.python(["mlflow_read.py", url, id])
        guard let runs = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] else {
            throw Failure(description: "mlflow_read.py printed \(text)")
        }
        return runs
    }

    /// The venv's Python running a fixture script; its standard output.
    static func python(_ arguments: [String]) throws -> String {
        let script = try Fixtures.url(arguments[0], in: .module).path
        let result = try BinaryRunner.run(
            [script] + arguments.dropFirst(), executable: URL(fileURLWithPath: venv + "/bin/python"))
        guard result.status == 0 else {
            throw Failure(description: "\(arguments[0]) failed (\(result.status)): \(result.stderr)")
        }
        return result.stdout
    }

    private func awaitReady() throws -> Int {
        let line = try readLine()
        guard line.hasPrefix("ready "), let port = Int(line.dropFirst(6)) else {
            throw Failure(description: "the MLflow server did not start: '\(line)'; see \(directory.path)/server.log")
        }
        return port
    }

    private func readLine() throws -> String { Self.readLine(output.fileHandleForReading) }

    /// One line from `handle`, without its newline; what is left at the end.
    static func readLine(_ handle: FileHandle) -> String {
        var bytes: [UInt8] = []
        while true {
            let data = handle.readData(ofLength: 1)
            guard let byte = data.first else { break }
            if byte == UInt8(ascii: "\n") { break }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The proxy of `mlflow_proxy.py` in front of the server: it logs each request's Authorization header, and
/// answers 503 to requests `failAfter + 1` to `failAfter + failCount`.
final class MLflowProxy {
    let process = Process()
    let input = Pipe()
    let output = Pipe()
    let log: URL
    let port: Int
    var url: String { "http://127.0.0.1:\(port)" }

    init(upstream: Int, in folder: URL, failAfter: Int = -1, failCount: Int = 0) throws {
        log = folder.appendingPathComponent("proxy.log")
        process.executableURL = URL(fileURLWithPath: MLflowTestServer.venv + "/bin/python")
        process.arguments = [
            try Fixtures.url("mlflow_proxy.py", in: .module).path, "\(upstream)", log.path, "\(failAfter)",
            "\(failCount)",
        ]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let line = MLflowTestServer.readLine(output.fileHandleForReading)
        guard line.hasPrefix("ready "), let port = Int(line.dropFirst(6)) else {
            throw MLflowTestServer.Failure(description: "the proxy did not start: '\(line)'")
        }
        self.port = port
    }

    /// Each request as `METHOD PATH AUTHORIZATION`.
    var requests: [String] {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
