import Foundation
import GRDB

/// What `athanor push` sent where: one row per run and MLflow server, so that a push cut short resumes where
/// it stopped and `athanor push` without runs knows which are not on that server yet.
public struct MLflowPushRecord: Sendable, Hashable {
    public var runID: String
    /// The server's tracking URL as given, without a trailing slash.
    public var server: String
    public var experimentID: String
    public var mlflowRunID: String
    /// How many of the push's requests the server acknowledged, in the order the push makes them.
    public var done: Int
    public var total: Int
    /// When the last request was acknowledged; nil while the push is incomplete.
    public var completed: Date?

    public init(
        runID: String, server: String, experimentID: String, mlflowRunID: String, done: Int, total: Int,
        completed: Date? = nil
    ) {
        self.runID = runID
        self.server = server
        self.experimentID = experimentID
        self.mlflowRunID = mlflowRunID
        self.done = done
        self.total = total
        self.completed = completed
    }
}

extension RunStore {
    /// Schema `v10-mlflow-pushes`: keyed by the run's id, not its row, so that a
    /// save that replaces the run's rows keeps what was pushed.
    static let schemaMLflowPushes = """
        CREATE TABLE mlflow_pushes (
            run_id TEXT NOT NULL,
            server TEXT NOT NULL,
            experiment_id TEXT NOT NULL,
            mlflow_run_id TEXT NOT NULL,
            done INTEGER NOT NULL,
            total INTEGER NOT NULL,
            completed REAL,
            PRIMARY KEY (run_id, server)
        ) WITHOUT ROWID;
        """

    /// Every push to `server`, by run id.
    public func mlflowPushes(to server: String) throws -> [String: MLflowPushRecord] {
        try attempt {
            try writer().read { db in
                var pushes: [String: MLflowPushRecord] = [:]
                let rows = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT run_id, experiment_id, mlflow_run_id, done, total, completed FROM mlflow_pushes
                        WHERE server = ?
                        """, arguments: [server])
                while let row = try rows.next() {
                    let completed: Double? = row[5]
                    let push = MLflowPushRecord(
                        runID: row[0], server: server, experimentID: row[1], mlflowRunID: row[2], done: row[3],
                        total: row[4], completed: completed.map { Date(timeIntervalSinceReferenceDate: $0) })
                    pushes[push.runID] = push
                }
                return pushes
            }
        }
    }

    /// Records `push`, replacing what was recorded for its run and server.
    public func recordMLflowPush(_ push: MLflowPushRecord) throws {
        try attempt {
            try writer().write { db in
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO mlflow_pushes
                        (run_id, server, experiment_id, mlflow_run_id, done, total, completed)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        push.runID, push.server, push.experimentID, push.mlflowRunID, push.done, push.total,
                        push.completed?.timeIntervalSinceReferenceDate,
                    ])
            }
        }
    }
}
