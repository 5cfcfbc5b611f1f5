import GRDB

extension RunStore {
    /// The status as the store keeps it: `abandoned` is read from a running run's owner, never written, so
    /// that the fact stays what was observed (running, by that process) and an older Athanor reads the row.
    static func storedStatus(_ status: RunStatus) -> String {
        status == .abandoned ? RunStatus.running.rawValue : status.rawValue
    }

    /// Records `run.owner` in the row `row`, just inserted (schema v5).
    static func saveOwner(_ run: RunRecord, row: Int64, in db: Database) throws {
        guard let owner = run.owner else { return }
        try db.execute(
            sql: "UPDATE runs SET owner_host = ?, owner_boot = ?, owner_pid = ?, owner_start = ? WHERE row = ?",
            arguments: [owner.host, owner.boot, Int64(owner.pid), Int64(bitPattern: owner.start), row])
    }

    /// `records` with their owners, each running run whose owner is gone marked abandoned.
    ///
    /// An owner whose columns do not decode (a row edited by hand) is left out: the run reads as running,
    /// as a run recorded before owners were.
    static func withOwners(
        _ records: [RunRecord], in db: Database, where condition: String, arguments: StatementArguments
    ) throws -> [RunRecord] {
        var owners: [String: RunOwner] = [:]
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT id, owner_host, owner_boot, owner_pid, owner_start FROM runs
                WHERE (\(condition)) AND owner_pid IS NOT NULL
                """,
            arguments: arguments)
        while let row = try rows.next() {
            guard let id = try? row.decode(String.self, atIndex: 0),
                let host = try? row.decode(String.self, atIndex: 1),
                let boot = try? row.decode(String.self, atIndex: 2), let pid = try? row.decode(Int64.self, atIndex: 3),
                let start = try? row.decode(Int64.self, atIndex: 4), let pid = Int32(exactly: pid)
            else { continue }
            owners[id] = RunOwner(host: host, boot: boot, pid: pid, start: UInt64(bitPattern: start))
        }
        guard !owners.isEmpty else { return records }
        return records.map { record in
            var record = record
            record.owner = owners[record.id]
            if record.status == .running, record.owner?.liveness == .gone { record.status = .abandoned }
            return record
        }
    }
}
