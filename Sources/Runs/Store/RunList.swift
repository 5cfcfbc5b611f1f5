/// The runs a listing found, and those it had to skip: one damaged row must not hide every other run.
public struct RunList: Sendable, Hashable {
    /// Newest first.
    public var runs: [RunRecord]
    /// Runs whose record cannot be read back, newest first, for the caller to name ("run X is damaged: …").
    public var damaged: [DamagedRun]

    public init(runs: [RunRecord], damaged: [DamagedRun]) {
        self.runs = runs
        self.damaged = damaged
    }
}

/// A run the store holds but cannot read back, and why.
public struct DamagedRun: Sendable, Hashable, CustomStringConvertible {
    public var id: String
    /// What is wrong, in words: "unknown run status 'paused'", "its cores holds 'many', not a whole number".
    public var reason: String

    public init(id: String, reason: String) {
        self.id = id
        self.reason = reason
    }

    public var description: String { "run '\(id)' is damaged: \(reason)" }
}
