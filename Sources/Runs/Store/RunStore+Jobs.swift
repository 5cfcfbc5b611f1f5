import GRDB

extension RunStore {
    /// Schema v9: the scheduler job of each run that a cluster ran (`ScheduledJob`), keyed by the run's id
    /// rather than its row, so that the save that replaces a run's rows keeps it.
    static let schemaJobs = """
        CREATE TABLE scheduled_jobs (
            run_id TEXT NOT NULL PRIMARY KEY,
            scheduler TEXT NOT NULL,
            job_id TEXT NOT NULL,
            array_task INTEGER NOT NULL,
            node TEXT,
            state TEXT,
            exit TEXT,
            reason TEXT,
            output TEXT
        ) WITHOUT ROWID;
        """

    /// Records (or replaces) the job of the run `id`.
    public func saveJob(_ job: ScheduledJob, of id: String) throws {
        try attempt {
            try writer().write { db in
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO scheduled_jobs
                            (run_id, scheduler, job_id, array_task, node, state, exit, reason, output)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        id, job.scheduler, job.jobID, job.arrayTask, job.node, job.state, job.exit, job.reason,
                        job.output,
                    ])
            }
        }
    }

    /// Fills each run's `job` from the `scheduled_jobs` table.
    static func attachJobs(to runs: inout [RunRecord], in db: Database) throws {
        guard !runs.isEmpty, try db.tableExists("scheduled_jobs") else { return }
        var byRun: [String: ScheduledJob] = [:]
        let rows = try Row.fetchCursor(
            db,
            sql: "SELECT run_id, scheduler, job_id, array_task, node, state, exit, reason, output FROM scheduled_jobs")
        while let row = try rows.next() {
            guard let id = try? row.text(at: 0), let scheduler = try? row.text(at: 1),
                let job = try? row.text(at: 2), let task = try? row.decode(Int64.self, atIndex: 3),
                let arrayTask = Int(exactly: task)
            else { continue }
            byRun[id] = ScheduledJob(
                scheduler: scheduler, jobID: job, arrayTask: arrayTask, node: (try? row.optionalText(at: 4)) ?? nil,
                state: (try? row.optionalText(at: 5)) ?? nil, exit: (try? row.optionalText(at: 6)) ?? nil,
                reason: (try? row.optionalText(at: 7)) ?? nil, output: (try? row.optionalText(at: 8)) ?? nil)
        }
        for index in runs.indices { runs[index].job = byRun[runs[index].id] }
    }
}
