import ArgumentParser

extension ReproduceWorkflow {
    /// What `athanor reproduce` is given: declared once, for the command line and for callers in code.
    public struct Options: ParsableArguments, Sendable {
        /// A run id or unique prefix, or a report (REPORT.html).
        @Argument(
            help: ArgumentHelp("A run id or unique prefix, or a report (REPORT.html).", valueName: "run"),
            completion: .runsOrReports)
        public var target: String
        /// Accept metrics within this relative difference (default: bit-equal).
        @Option(help: "Accept metrics within this relative difference (default: bit-equal).")
        public var tolerance: Double?
        /// For a report: the folder its data files are read from (default: the working folder).
        @Option(help: "For a report: the folder its data files are in (default: the current directory).")
        public var data: String?
        @Flag(help: "For a report: run its command steps ('run:'), which are otherwise refused.")
        public var allowCommands = false
        @Flag(name: .shortAndLong, help: "No progress on standard error.") public var quiet = false

        public init() {}

        /// The options of `athanor reproduce TARGET` and nothing else. Every property is set here: the
        /// parser's property wrappers hold their defaults only for parsing.
        public init(target: String) {
            self.target = target
            (tolerance, data, allowCommands, quiet) = (nil, nil, false, false)
        }

        public func validate() throws {
            if let problem { throw ValidationError(problem) }
        }

        public var isReport: Bool { target.hasSuffix(".html") || target.hasSuffix(".htm") }

        /// What makes these options invalid before anything runs, as the command line says it; nil when nothing.
        public var problem: String? {
            if let tolerance, !(tolerance >= 0 && tolerance.isFinite) {
                return "--tolerance needs a relative difference of 0 or more"
            }
            if data != nil && !isReport {
                return "--data says where a report's data files are: give a report (REPORT.html)"
            }
            return nil
        }
    }
}
