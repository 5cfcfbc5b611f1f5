import ArgumentParser
import Workflows

struct Remove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm", abstract: "Forget runs (a sweep id: all its runs) and their reports; then 'cache gc'.")

    @Argument(help: "Run ids or prefixes, latest, latest~N, or sweep ids.", completion: .runsOrSweeps)
    var targets: [String]
    @Flag(name: .shortAndLong, help: "Do not ask (needed when standard input is not a terminal).") var yes = false

    func validate() throws {
        if targets.isEmpty { throw ValidationError("give the runs or sweeps to remove") }
    }

    func run() throws { try finish(ManageWorkflow(in: invocation).remove(targets, yes: yes)) }
}

struct Sweeps: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List recorded sweeps, newest first.")

    @Flag(help: "Print the sweeps as a JSON list.") var json = false

    func run() throws { try finish(ManageWorkflow(in: invocation).sweeps(json: json)) }
}

struct Tag: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Tag a run (key=value; key= removes) or note it.")

    @Argument(help: "A run id or prefix, latest or latest~N.", completion: .runs) var id: String
    @Argument(help: ArgumentHelp("Tags to set.", valueName: "key=value")) var tags: [String] = []
    @Option(help: "A sentence about the run (\"\" removes it).") var note: String?

    func run() throws { try finish(ManageWorkflow(in: invocation).tag(id, tags, note: note)) }
}
