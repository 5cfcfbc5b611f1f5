import ArgumentParser
import Foundation
import Serving
import Workflows

/// `athanor serve-model RUN:STEP|FILE.athanor` (run as `athanor-serve model …`): a model behind MLflow's
/// scoring protocol.
struct ServeModel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "athanor serve-model",
        abstract: "Serve a run's model, with the transforms it was trained behind, over MLflow's scoring protocol.",
        version: AthanorVersion.current)

    @Argument(help: "RUN:STEP, or a file written by 'athanor export'.") var model: String
    @Option(help: "The address to listen on; any but 127.0.0.1, localhost or ::1 needs a token.")
    var host = "127.0.0.1"
    @Option(help: "The port to listen on (0: any free port).") var port = 8080
    @Option(help: "The secret every request must carry (default: $ATHANOR_TOKEN).") var token: String?
    @Option(help: "Append one JSON line per scored row to this file (rotated to FILE.1 at 64 MiB).") var log: String?
    @Option(help: "The project (default: the one of the working folder).") var project: String?

    func serve() async throws {
        let token = token ?? ProcessInfo.processInfo.environment["ATHANOR_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        if let refusal = Access.refusal(host: host, token: token) { Serve.fail(refusal) }
        guard let port = UInt16(exactly: port) else { Serve.fail("--port \(port) is not a port (0 to 65535)") }
        let directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let service: ModelService
        do {
            let bundle: ModelBundle
            if model.hasSuffix(".athanor") || FileManager.default.fileExists(atPath: model) {
                bundle = try ModelBundle.read(file: URL(fileURLWithPath: model, relativeTo: directory))
            } else {
                let root = project.map { URL(fileURLWithPath: $0, relativeTo: directory).standardizedFileURL }
                bundle = try ModelBundle.resolve(model, in: Project.enclosing(root ?? directory))
            }
            service = try ModelService(bundle: bundle, access: Access(token: token), log: log)
        } catch let failure as WorkflowFailure {
            Serve.fail(failure.diagnostics.map(\.message).joined(separator: "; "))
        } catch {
            Serve.fail("\(error)")
        }
        do {
            try await RunServer(host: host, port: port, handler: service).run { url in
                let lineage = service.bundle.lineage
                let line =
                    "serving model '\(lineage.step)' of run \(lineage.runID) at \(url)invocations"
                    + "\(token == nil ? "" : " (token required)")\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            }
        } catch let error as ServeError {
            Serve.fail(error.description)
        } catch {
            Serve.fail("cannot listen on \(host):\(port): \(error)")
        }
    }
}
