import ArgumentParser

extension MonitorWorkflow {
    /// What `athanor monitor` is given: declared once, for the command line and for callers in code.
    public struct Options: ParsableArguments, Sendable {
        /// `RUN` or `RUN:STEP`.
        @Argument(help: "A run id or prefix, and optionally its model step: RUN or RUN:STEP.", completion: .runs)
        public var target: String
        @Option(help: "New data: a CSV read as the notebook's load step read its file.") public var data: String?
        @Option(help: "New data: a request log of 'serve-model --log' (one JSON object a line).")
        public var requests: String?
        @Option(name: .shortAndLong, help: "The HTML report (default: drift-RUN.html here).")
        public var output: String?
        @Option(help: "The PSI at which a column has drifted.") public var threshold = 0.2
        @Flag(help: "Print the comparison as JSON.") public var json = false

        public init() {}

        /// Every property is set here: the parser's property wrappers hold their defaults only for parsing.
        public init(
            target: String, data: String?, requests: String?, output: String?, threshold: Double, json: Bool
        ) {
            (self.target, self.data, self.requests) = (target, data, requests)
            (self.output, self.threshold, self.json) = (output, threshold, json)
        }

        public func validate() throws {
            if let problem { throw ValidationError(problem) }
        }

        /// What is wrong with the options as given, for the command line to reject.
        public var problem: String? {
            if (data == nil) == (requests == nil) { return "give exactly one of --data FILE and --requests FILE" }
            if !threshold.isFinite || threshold <= 0 { return "--threshold needs a number above 0" }
            return nil
        }
    }
}
