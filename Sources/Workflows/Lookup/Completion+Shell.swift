import ArgumentParser
import Foundation

/// The shell completion of arguments (`athanor --generate-completion-script bash|zsh|fish`).
extension CompletionKind {
    public static let notebooks = CompletionKind.file(extensions: ["md"])
    public static let runs = project(.runs)
    public static let runsOrSweeps = project(.runsOrSweeps)
    public static let runsOrReports = project(.runsOrReports)

    /// Ids read from the store of the folder the shell is in when the user presses TAB.
    private static func project(_ kind: Completion.Kind) -> CompletionKind {
        .custom { _, _, prefix in
            Completion.candidates(
                kind, prefix: prefix, in: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        }
    }
}
