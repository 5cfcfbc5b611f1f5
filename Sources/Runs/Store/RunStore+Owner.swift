import GRDB

extension RunStore {
    /// The status as the store keeps it: `abandoned` is read from a running run's owner, never written, so
    /// that the fact stays what was observed (running, by that process) and an older Athanor reads the row.
    static func storedStatus(_ status: RunStatus) -> String {
        status == .abandoned ? RunStatus.running.rawValue : status.rawValue
    }

    /// The owner columns of a run's row (schema v5), in the order `ownerColumns` names them; NULL for a run
    /// with no owner.
    static let ownerColumns = "owner_host, owner_boot, owner_pid, owner_start"

    static func ownerArguments(_ run: RunRecord) -> [(any DatabaseValueConvertible)?] {
        guard let owner = run.owner else { return [nil, nil, nil, nil] }
        return [owner.host, owner.boot, Int64(owner.pid), Int64(bitPattern: owner.start)]
    }

    /// The owner held in `row`'s four owner columns from `index` on; nil when there is none, or when its
    /// columns do not decode (a row edited by hand): the run then reads as running, as a run recorded before
    /// owners were.
    static func owner(in row: Row, at index: Int) -> RunOwner? {
        guard let host = try? row.decode(String.self, atIndex: index),
            let boot = try? row.decode(String.self, atIndex: index + 1),
            let pid = try? row.decode(Int64.self, atIndex: index + 2),
            let start = try? row.decode(Int64.self, atIndex: index + 3), let pid = Int32(exactly: pid)
        else { return nil }
        return RunOwner(host: host, boot: boot, pid: pid, start: UInt64(bitPattern: start))
    }

    /// `record` with its owner, marked abandoned when it is still running and its owner is gone.
    static func owned(_ record: RunRecord, by owner: RunOwner?) -> RunRecord {
        guard let owner else { return record }
        var record = record
        record.owner = owner
        if record.status == .running, owner.liveness == .gone { record.status = .abandoned }
        return record
    }
}
