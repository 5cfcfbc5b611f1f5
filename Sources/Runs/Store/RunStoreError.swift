import Foundation
import GRDB

/// Why the run store could not do what was asked, in words a user can act on.
///
/// Every error of SQLite or GRDB that leaves `RunStore` is wrapped in one of these, with the store's path.
public enum RunStoreError: Error, Equatable, CustomStringConvertible {
    /// The store holds migrations this version does not know: a newer Athanor wrote it.
    case newerVersion(path: String)
    /// The store was made by an older Athanor and needs a migration, which a store opened for reading never runs.
    case needsUpgrade(path: String)
    /// A save or delete on a store opened with `RunStore(readingAt:)`.
    case openedForReading(path: String)
    /// The store, or the directory that holds it, cannot be written.
    case readOnly(path: String)
    /// The directory of the store could not be made.
    case cannotCreateDirectory(path: String, reason: String)
    /// The file is not an SQLite database, or SQLite found it damaged.
    case corrupted(path: String, reason: String)
    /// Another process held the store longer than the busy timeout.
    case busy(path: String)
    /// A stored run that cannot be read back (a value of the wrong type, or one this version does not know).
    case unreadableRun(id: String, reason: String)
    /// No run id starts with this prefix.
    case unknownRun(String)
    /// Several run ids start with this prefix; `matches` holds the first few, `count` all of them.
    case ambiguousPrefix(String, matches: [String], count: Int)
    /// An empty string was given where a run id or prefix was expected.
    case emptyPrefix
    /// Any other failure of the database, with SQLite's own words.
    case database(path: String, reason: String)

    public var description: String {
        switch self {
        case .newerVersion(let path):
            return "\(path) was written by a newer version of Athanor; upgrade athanor to read it"
        case .needsUpgrade(let path):
            return "\(path) was written by an older version of Athanor; run any command that records a run "
                + "(athanor run) in this project to upgrade it, then read it again"
        case .openedForReading(let path):
            return "the run store \(path) was opened for reading only"
        case .readOnly(let path):
            return "cannot write the run store: '\(path)' is read-only"
        case .cannotCreateDirectory(let path, let reason):
            return "cannot create the directory '\(path)' for the run store: \(reason)"
        case .corrupted(let path, let reason):
            return "\(path) is not a readable run store (\(reason)); it is corrupted or not an Athanor run store. "
                + "Move it aside to start a new run history: mv '\(path)' '\(path).damaged'"
        case .busy(let path):
            return "the run store \(path) is busy: another athanor process kept it locked; try again"
        case .unreadableRun(let id, let reason):
            return DamagedRun(id: id, reason: reason).description
        case .unknownRun(let prefix):
            return "no run '\(prefix)'"
        case .ambiguousPrefix(let prefix, let matches, let count):
            let listed = matches.joined(separator: ", ")
            let more = count > matches.count ? " and \(count - matches.count) more" : ""
            return "run prefix '\(prefix)' is ambiguous: \(listed)\(more)"
        case .emptyPrefix:
            return "empty run id: give a run id or a unique prefix of one (see 'athanor runs')"
        case .database(let path, let reason):
            return "run store \(path): \(reason)"
        }
    }
}

extension RunStoreError {
    /// Wraps an error of GRDB or SQLite raised while using the store at `path`.
    init(_ error: any Error, path: String) {
        if let error = error as? RunStoreError {
            self = error
            return
        }
        if let error = error as? RowDecodingError {
            self = .corrupted(path: path, reason: "\(error)")
            return
        }
        guard let error = error as? DatabaseError else {
            self = .database(path: path, reason: "\(error)")
            return
        }
        let reason = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            self = .corrupted(path: path, reason: reason)
        case .SQLITE_READONLY, .SQLITE_PERM:
            self = .readOnly(path: path)
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            self = .busy(path: path)
        default:
            self = .database(path: path, reason: reason)
        }
    }
}
