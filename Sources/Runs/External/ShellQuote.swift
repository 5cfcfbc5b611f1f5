/// Words and names as a POSIX shell reads them, for the command lines Athanor writes and runs.
public enum ShellQuote {
    /// A word as a POSIX shell reads it back: bare when safe, else in single quotes.
    public static func quoted(_ word: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%")
        if !word.isEmpty && word.allSatisfy({ safe.contains($0) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Whether `name` can be a shell variable: a letter or `_`, then letters, digits and `_`.
    public static func isVariableName(_ name: String) -> Bool {
        !name.isEmpty
            && name.unicodeScalars.enumerated().allSatisfy { index, scalar in
                scalar == "_" || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                    || (index > 0 && ("0"..."9").contains(scalar))
            }
    }
}
