import Foundation

/// Where a store opened for reading stands: equal versions read the same runs, so that what was read at one
/// can be kept until the version changes (`athanor serve` keeps its index so).
public struct StoreVersion: Sendable, Hashable {
    /// Which of the reader's connections, as it opens one anew when a writer comes or goes.
    var connection: Int
    /// SQLite's `PRAGMA data_version` on that connection.
    var data: Int64
}

extension RunStore {
    /// The store's version, read anew (a short query); nil for a store opened for writing, whose pool reads
    /// through connections that each count on their own.
    public func version() throws -> StoreVersion? {
        guard case .reading(let reader) = connection else { return nil }
        return try attempt { try reader.version() }
    }
}
