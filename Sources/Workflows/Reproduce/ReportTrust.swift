import Foundation

/// The trust rule for a report, someone else's file: its commands run only when the user allows them, its
/// parameters pass the notebook's checks, and its data paths stay inside the data folder and name regular
/// files, so that a crafted report cannot read `/etc/passwd` into a new report or hang on `/dev/zero`.
enum ReportTrust {
    static func plan(of run: RunRecord, report: String, dataFolder: URL, allowCommands: Bool) throws -> RunPlan {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dataFolder.path, isDirectory: &isDirectory),
            isDirectory.boolValue
        else {
            throw WorkflowFailure.invalid("the data folder '\(dataFolder.path)' is not a directory")
        }
        let name = notebookName(run)
        var plan = try checkedPlan(
            Reproduction.plan(of: run, notebookPath: dataFolder.appendingPathComponent(name).path))
        let base = base(for: plan.steps.flatMap(\.files), in: dataFolder)
        if base != dataFolder {
            plan = try checkedPlan(Reproduction.plan(of: run, notebookPath: base.appendingPathComponent(name).path))
        }
        let problems = NotebookChecker.check(plan.notebook, parameters: plan.parameters)
            .filter { $0.severity == .error }
        if !problems.isEmpty {
            throw WorkflowFailure(
                .invalid, problems + [Diagnostics.tool("\(report): the report's parameters fail the notebook's checks")]
            )
        }
        let commands = plan.steps.filter { $0.kind?.runsUserCode == true }
        if !commands.isEmpty && !allowCommands {
            let named = commands.map { step in
                step.code.map { "'\(step.name)' (\($0.language.rawValue))" } ?? "'\(step.name)'"
            }
            let steps = "step\(commands.count == 1 ? "" : "s") \(named.joined(separator: ", "))"
            let rule =
                switch (commands.contains { $0.code != nil }, commands.contains { $0.code == nil }) {
                case (false, _):
                    "shell commands (\(steps)). Commands that come out of a report are never run unless you pass "
                        + "--allow-commands; read them in the report first."
                case (true, false):
                    "code (\(steps)). Code that comes out of a report is never run unless you pass "
                        + "--allow-commands; read it in the report first."
                case (true, true):
                    "commands and code (\(steps)). Commands and code that come out of a report are never run "
                        + "unless you pass --allow-commands; read them in the report first."
                }
            throw WorkflowFailure.invalid("\(report) asks to run \(rule)")
        }
        let refused = plan.steps.flatMap { step in
            step.files.compactMap { path in refusal(of: path, step: step.name, from: plan.directory, in: dataFolder) }
        }
        if !refused.isEmpty {
            throw WorkflowFailure(
                .invalid,
                refused.map { Diagnostics.tool("\(report): \($0)") }
                    + [
                        Diagnostics.tool(
                            "a report's data must be regular files inside the data folder \(dataFolder.path) "
                                + "(the working folder, or --data DIR)")
                    ])
        }
        return plan
    }

    /// Where the notebook stands so that its data paths find their files in `folder`: the folder itself, or
    /// the nearest folder above it from which every path leads into `folder` (`--data notebooks/data` for a
    /// notebook that reads `data/train.csv`).
    static func base(for paths: [String], in folder: URL) -> URL {
        let relative = paths.filter { !$0.hasPrefix("/") }
        guard !relative.isEmpty, let root = FileSystem.realPath(folder.path) else { return folder }
        var candidate = folder
        for _ in 0..<8 {
            let found = relative.allSatisfy { path in
                guard let file = FileSystem.realPath(candidate.appendingPathComponent(path).path) else {
                    return false
                }
                return FileSystem.isWithin(file, root: root)
            }
            if found { return candidate }
            let parent = candidate.deletingLastPathComponent()
            if parent.path == candidate.path { break }
            candidate = parent
        }
        return folder
    }

    /// The file name the report's notebook stands under in the data folder: its own, when it is one.
    static func notebookName(_ run: RunRecord) -> String {
        let name = URL(fileURLWithPath: run.notebook).lastPathComponent
        let usable = !name.isEmpty && name != "/" && name != "." && name != ".." && !name.contains("/")
        return usable ? name : "notebook.md"
    }

    /// Why the data file `path` (as a step names it, from `directory`) may not be read for a report, or nil.
    static func refusal(of path: String, step: String, from directory: URL, in folder: URL) -> String? {
        let shown = "step '\(step)' reads '\(path)'"
        if path.hasPrefix("/") { return "\(shown): an absolute path" }
        guard let root = FileSystem.realPath(folder.path) else {
            return "\(shown): the data folder cannot be resolved"
        }
        guard let file = FileSystem.realPath(directory.appendingPathComponent(path).path) else {
            return nil  // Missing: the run fails on it with its own message.
        }
        guard FileSystem.isWithin(file, root: root) else {
            return "\(shown), which is outside the data folder"
        }
        var status = stat()
        guard stat(file, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            return "\(shown), which is not a regular file"
        }
        return nil
    }

}
