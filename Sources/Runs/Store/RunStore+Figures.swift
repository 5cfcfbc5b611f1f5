import Foundation
import GRDB

extension RunStore {
    /// Version 7 (`v7-figures`): the images steps made (`FigureRecord`), their bytes a BLOB, NULL for one
    /// too large to keep. Read only with a single run (`run(_:)`), never by a listing.
    static let schemaFigures = """
        CREATE TABLE figures (
            run INTEGER NOT NULL REFERENCES runs (row) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            step TEXT NOT NULL,
            name TEXT NOT NULL,
            media_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            bytes BLOB,
            PRIMARY KEY (run, position)
        ) WITHOUT ROWID;
        """

    static func insertFigures(of run: RunRecord, row: Int64, in db: Database) throws {
        let figure = try db.makeStatement(
            sql: "INSERT INTO figures (run, position, step, name, media_type, size, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)"
        )
        for (position, item) in run.figures.enumerated() {
            try figure.execute(arguments: [
                row, position, item.step, item.name, item.mediaType, item.size, item.bytes.map { Data($0) },
            ])
        }
    }

    /// The figures of the run `id`, in the order they were recorded.
    static func figures(ofRun id: String, in db: Database) throws -> [FigureRecord] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT step, name, media_type, size, bytes FROM figures
                WHERE run = (SELECT row FROM runs WHERE id = ?) ORDER BY position
                """,
            arguments: [id]
        ).map { row in
            let bytes: Data? = row[4]
            return FigureRecord(
                step: row[0], name: row[1], mediaType: row[2], size: row[3], bytes: bytes.map { Array($0) })
        }
    }
}
