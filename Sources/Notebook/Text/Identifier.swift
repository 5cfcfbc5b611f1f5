/// The spelling rules for names in a notebook.
public enum Identifier {
    /// Step names: `[a-z][a-z0-9_-]*`.
    public static func isStepName(_ name: some StringProtocol) -> Bool {
        guard let first = name.utf8.first, (97...122).contains(first) else { return false }
        return name.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 95 || $0 == 45 }
    }

    /// Parameter names: `[A-Za-z_][A-Za-z0-9_]*`, so that `-p name=value` and `${name}` can hold them.
    public static func isParameterName(_ name: some StringProtocol) -> Bool {
        guard let first = name.utf8.first, isLetter(first) || first == 95 else { return false }
        return name.utf8.allSatisfy { isLetter($0) || (48...57).contains($0) || $0 == 95 }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (65...90).contains(byte) || (97...122).contains(byte)
    }
}
