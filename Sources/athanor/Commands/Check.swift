import ArgumentParser
import Foundation
import Runs

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate notebooks without running them; errors as FILE:LINE:COL.")

    @Argument(help: "The notebooks to check.")
    var notebooks: [String]

    @Flag(name: .shortAndLong, help: "Print only diagnostics, not the summary line of each notebook.")
    var quiet = false

    func validate() throws {
        if notebooks.isEmpty { throw ValidationError("give at least one notebook to check") }
    }

    func run() throws {
        var failed = false
        for path in notebooks {
            let check = FileCheck(path: path)
            for diagnostic in check.diagnostics { printError(diagnostic.description) }
            if check.hasErrors { failed = true }
            if !quiet || check.hasErrors { print(check.summary) }
        }
        if failed { throw ExitCode(2) }
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Prints a value as JSON on standard output.
func printJSON(_ value: Any) {
    print(RunJSON.text(value))
}

/// Opens the run store of the current project, or fails with its message and exit 2.
func openStore(_ project: Project) throws -> RunStore {
    do {
        return try RunStore(path: project.storePath)
    } catch {
        printError("athanor: \(error)")
        throw ExitCode(2)
    }
}

/// A run by id or unique prefix, or exit 2 with the store's explanation.
func findRun(_ prefix: String, in store: RunStore) throws -> RunRecord {
    do {
        let id = try store.resolve(prefix)
        guard let run = try store.run(id) else {
            printError("athanor: no run '\(prefix)'")
            throw ExitCode(2)
        }
        return run
    } catch let exit as ExitCode {
        throw exit
    } catch {
        printError("athanor: \(error)")
        throw ExitCode(2)
    }
}
