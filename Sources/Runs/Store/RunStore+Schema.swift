import GRDB

extension RunStore {
    /// The store's schema, one migration per released change.
    ///
    /// Never edit a migration once released: add one. An older Athanor refuses a store that holds a
    /// migration it does not know (`RunStoreError.newerVersion`) rather than misread it.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: schemaV1)
        }
        migrator.registerMigration("v2") { db in
            try db.execute(sql: schemaV2)
        }
        migrator.registerMigration("v3") { db in
            try db.execute(sql: schemaV3)
        }
        migrator.registerMigration("v4") { db in
            try db.execute(sql: schemaV4)
        }
        migrator.registerMigration("v5") { db in
            try db.execute(sql: schemaV5)
        }
        migrator.registerMigration("v6-step-configuration") { db in
            try db.execute(sql: schemaStepConfiguration)
        }
        migrator.registerMigration("v7-figures") { db in
            try db.execute(sql: schemaFigures)
        }
        migrator.registerMigration("v8-tags") { db in
            try db.execute(sql: schemaTags)
        }
        migrator.registerMigration("v9-scheduled-jobs") { db in
            try db.execute(sql: schemaJobs)
        }
        migrator.registerMigration("v10-mlflow-pushes") { db in
            try db.execute(sql: schemaMLflowPushes)
        }
        return migrator
    }()

    /// Version 1: one row per run in `runs`, its lists in child tables keyed by `(run, position)`.
    ///
    /// - Children refer to the run's integer `row`, not its text id, to keep the 100,000-row tables small.
    ///   `row` is AUTOINCREMENT so that a row left behind by a hand-made delete never joins a later run.
    /// - Deleting a run cascades to its children, except `series_points`, which has no foreign key: SQLite
    ///   deletes rows under a foreign key one seek at a time, six times slower than a plain range delete, and
    ///   a save replaces every point. `RunStore.deleteRows(of:in:)` deletes them explicitly.
    /// - `position` keeps each list in the order it was recorded.
    /// - Dates are `Date.timeIntervalSinceReferenceDate` (seconds since 2001-01-01 UTC) as REAL, so that a
    ///   `Date` comes back bit for bit; in SQL, `datetime(started + 978307200, 'unixepoch')`.
    /// - SQLite stores a NaN as NULL: a NULL `value` or `seconds` reads back as NaN, and `metrics.has_value`
    ///   tells a NaN metric from a metric without a value (a confusion matrix).
    static let schemaV1 = """
        CREATE TABLE runs (
            row INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            notebook TEXT NOT NULL,
            notebook_sha256 TEXT NOT NULL,
            notebook_source TEXT NOT NULL,
            title TEXT,
            started REAL NOT NULL,
            finished REAL,
            status TEXT NOT NULL,
            command TEXT NOT NULL,
            report TEXT,
            sweep TEXT,
            tool_version TEXT NOT NULL,
            engine_version TEXT NOT NULL,
            os TEXT NOT NULL,
            cpu_model TEXT NOT NULL,
            cores INTEGER NOT NULL,
            git_commit TEXT,
            git_dirty BOOLEAN
        );
        CREATE INDEX runs_by_notebook ON runs (notebook, started);
        CREATE INDEX runs_by_started ON runs (started);
        CREATE INDEX runs_by_sweep ON runs (sweep, started);

        CREATE TABLE parameters (
            run INTEGER NOT NULL REFERENCES runs (row) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            overridden BOOLEAN NOT NULL,
            PRIMARY KEY (run, position)
        ) WITHOUT ROWID;

        CREATE TABLE steps (
            run INTEGER NOT NULL REFERENCES runs (row) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            op TEXT NOT NULL,
            cache_key TEXT NOT NULL,
            cache TEXT,
            seconds REAL,
            status TEXT NOT NULL,
            error TEXT,
            explanation TEXT,
            PRIMARY KEY (run, position)
        ) WITHOUT ROWID;

        CREATE TABLE datasets (
            run INTEGER NOT NULL REFERENCES runs (row) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            step TEXT NOT NULL,
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            row_count INTEGER NOT NULL,
            column_count INTEGER NOT NULL,
            bytes INTEGER NOT NULL,
            PRIMARY KEY (run, position)
        ) WITHOUT ROWID;

        CREATE TABLE metrics (
            run INTEGER NOT NULL REFERENCES runs (row) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            has_value BOOLEAN NOT NULL,
            value REAL,
            json TEXT,
            PRIMARY KEY (run, position)
        ) WITHOUT ROWID;

        CREATE TABLE series (
            run INTEGER NOT NULL REFERENCES runs (row) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            PRIMARY KEY (run, position)
        ) WITHOUT ROWID;

        CREATE TABLE series_points (
            run INTEGER NOT NULL,
            series INTEGER NOT NULL,
            position INTEGER NOT NULL,
            idx INTEGER NOT NULL,
            value REAL,
            PRIMARY KEY (run, series, position)
        ) WITHOUT ROWID;

        CREATE TABLE artifacts (
            run INTEGER NOT NULL REFERENCES runs (row) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            step TEXT NOT NULL,
            name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            PRIMARY KEY (run, position)
        ) WITHOUT ROWID;
        """

    /// Version 2: a step's log (text) and its data previews (JSON of `[DataPreview]`), for the report.
    static let schemaV2 = """
        ALTER TABLE steps ADD COLUMN log TEXT;
        ALTER TABLE steps ADD COLUMN previews TEXT;
        """

    /// Version 3: the run's BLAS kernel (`EnvironmentRecord.blasKernel`): its name and who chose it
    /// (`BLASKernelRecord.Source`); both NULL for runs recorded before.
    static let schemaV3 = """
        ALTER TABLE runs ADD COLUMN blas_kernel TEXT;
        ALTER TABLE runs ADD COLUMN blas_kernel_source TEXT;
        """

    /// Version 4: a series' points in `series.points`, a BLOB of `PackedPoints` (16 bytes a point), instead of
    /// one `series_points` row a point, which took seconds to write and read for a curve of a million points.
    ///
    /// Runs saved before keep their rows in `series_points` and a NULL `points`, and read as they did.
    static let schemaV4 = """
        ALTER TABLE series ADD COLUMN points BLOB;
        """

    /// Version 5: the process that runs the run (`RunOwner`): its host, the boot id of that host, its process
    /// id and its start time in clock ticks since boot (INTEGER: SQLite's are 64-bit signed, ample for ticks).
    /// A run whose `status` is still `running` but whose owner is gone reads as `abandoned`; `abandoned` itself
    /// is never stored, so that an older Athanor reads the row as it always did.
    ///
    /// Runs saved before keep NULL owners, and read as running as they did.
    static let schemaV5 = """
        ALTER TABLE runs ADD COLUMN owner_host TEXT;
        ALTER TABLE runs ADD COLUMN owner_boot TEXT;
        ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
        ALTER TABLE runs ADD COLUMN owner_start INTEGER;
        """

    /// Version 6 (`v6-step-configuration`): each step's configuration as it ran (JSON of `StepConfiguration`),
    /// so that its report shows what ran rather than what a later checker makes of the notebook; NULL for
    /// steps recorded before.
    static let schemaStepConfiguration = """
        ALTER TABLE steps ADD COLUMN configuration TEXT;
        """
}
