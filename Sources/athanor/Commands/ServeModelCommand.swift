import ArgumentParser

/// `athanor serve-model …`: runs `athanor-serve model …`, which alone loads the web server.
struct ServeModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve-model",
        abstract: "Serve a run's model over MLflow's scoring protocol (RUN:STEP|FILE.athanor, --port, --host, "
            + "--token, --log).")

    @Argument(parsing: .allUnrecognized, help: "RUN:STEP or FILE.athanor, then options.") var arguments: [String] = []

    func run() throws { ServeCommand.pass(["model"] + arguments) }
}
