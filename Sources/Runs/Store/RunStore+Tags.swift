import GRDB

extension RunStore {
    /// Schema v8: what users say of a run after it, keyed by the run's id rather than its row, so that the
    /// save that replaces a run's rows (a `render`) keeps them. The note is the tag named `:note`, a name no
    /// tag can have.
    static let schemaTags = """
        CREATE TABLE tags (
            run_id TEXT NOT NULL,
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (run_id, name)
        ) WITHOUT ROWID;
        """

    static let noteName = ":note"

    /// Sets `tags` on the run `id` (an empty value removes that tag) and, when given, its note (empty removes
    /// it); the run's other tags stay.
    public func tag(_ id: String, _ tags: [String: String], note: String?) throws {
        var changes = tags
        if let note { changes[Self.noteName] = note }
        try attempt {
            try writer().write { db in
                for (name, value) in changes.sorted(by: { $0.key < $1.key }) {
                    if value.isEmpty {
                        try db.execute(sql: "DELETE FROM tags WHERE run_id = ? AND name = ?", arguments: [id, name])
                    } else {
                        try db.execute(
                            sql: "INSERT OR REPLACE INTO tags (run_id, name, value) VALUES (?, ?, ?)",
                            arguments: [id, name, value])
                    }
                }
            }
        }
    }

    /// Fills each run's `tags` and `note` from the `tags` table.
    static func attachTags(to runs: inout [RunRecord], in db: Database) throws {
        guard !runs.isEmpty, try db.tableExists("tags") else { return }
        var byRun: [String: [String: String]] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT run_id, name, value FROM tags")
        while let row = try rows.next() {
            let id: String = row[0]
            byRun[id, default: [:]][row[1]] = row[2]
        }
        for index in runs.indices {
            guard var tags = byRun[runs[index].id] else { continue }
            runs[index].note = tags.removeValue(forKey: noteName)
            runs[index].tags = tags
        }
    }
}
