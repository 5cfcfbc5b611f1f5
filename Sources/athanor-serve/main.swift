import ArgumentParser
import Foundation
import Report
import Serving
import Workflows

/// `athanor serve`, in an executable of its own so that the plain `athanor` does not load a web server.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "athanor serve",
        abstract: "Serve the project's runs, reports and comparisons read-only over HTTP.",
        version: AthanorVersion.current)

    @Option(help: "The address to listen on; any but 127.0.0.1, localhost or ::1 needs a token.")
    var host = "127.0.0.1"
    @Option(help: "The port to listen on (0: any free port).") var port = 8765
    @Option(help: "The secret every request must carry (default: $ATHANOR_TOKEN).") var token: String?
    @Option(help: "The project (default: the one of the working folder).") var project: String?
    @Option(help: "A folder of report templates overriding the built-in ones.") var template: String?

    func run() async throws { try await serve() }

    func serve() async throws {
        // An empty ATHANOR_TOKEN is unset, as a shell writes `ATHANOR_TOKEN= athanor serve` to clear it.
        let token = token ?? ProcessInfo.processInfo.environment["ATHANOR_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        if let refusal = Access.refusal(host: host, token: token) { fail(refusal) }
        guard let port = UInt16(exactly: port) else { fail("--port \(port) is not a port (0 to 65535)") }
        let directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let root = project.map { URL(fileURLWithPath: $0, relativeTo: directory).standardizedFileURL }
        let templates: ReportTemplates
        do {
            templates = try template.map { try ReportTemplates.overridden(by: $0) } ?? ReportTemplates.builtIn()
        } catch {
            fail("\(error)")
        }
        let browser = RunBrowser(
            project: Project.enclosing(root ?? directory), templates: templates, access: Access(token: token))
        do {
            try await RunServer(host: host, port: port, browser: browser).run { url in
                // Written at once, not buffered: a script waits for this line to know the server listens.
                let line = "serving \(browser.project.root.path) at \(url)\(token == nil ? "" : " (token required)")\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            }
        } catch let error as ServeError {
            fail(error.description)
        } catch {
            fail("cannot listen on \(host):\(port): \(error)")
        }
    }

    func fail(_ message: String) -> Never { Self.fail(message) }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("athanor: error: \(message)\n".utf8))
        Serve.exit(withError: ExitCode(2))
    }
}

/// Parses and runs `Command`; DESIGN §7: an invalid command line exits 2, not ArgumentParser's 64.
func start<Command: AsyncParsableCommand>(
    _: Command.Type, _ arguments: [String], _ serve: (Command) async throws -> Void
)
    async
{
    do {
        try await serve(try Command.parse(arguments))
    } catch {
        if Command.exitCode(for: error) == .validationFailure {
            FileHandle.standardError.write(
                Data((CommandLineMessage.styled(Command.fullMessage(for: error)) + "\n").utf8))
            Command.exit(withError: ExitCode(2))
        }
        Command.exit(withError: error)
    }
}

// `athanor-serve model …` is `athanor serve-model …`.
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "model" {
    await start(ServeModel.self, Array(arguments.dropFirst())) { try await $0.serve() }
} else {
    await start(Serve.self, arguments) { try await $0.serve() }
}
