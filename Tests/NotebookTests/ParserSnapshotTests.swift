import Foundation
import Notebook
import Testing

/// Parser output against recorded dumps. Set ATHANOR_RECORD=1 to re-record after a deliberate change.
@Suite struct ParserSnapshotTests {
    static let fixtures = ["Everything", "CRLF"]

    @Test(arguments: fixtures)
    func dumpMatchesSnapshot(_ name: String) throws {
        let directory = try #require(Bundle.module.url(forResource: "Fixtures/parser", withExtension: nil))
        let source = try String(contentsOf: directory.appendingPathComponent("\(name).md"), encoding: .utf8)
        let dump = NotebookDump.dump(NotebookParser.parse(source, path: "\(name).md"))
        let snapshot = directory.appendingPathComponent("\(name).dump")
        if ProcessInfo.processInfo.environment["ATHANOR_RECORD"] != nil {
            // Record into the source tree, not the copied bundle.
            let sourceSnapshot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("Fixtures/parser/\(name).dump")
            try dump.write(to: sourceSnapshot, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: snapshot, encoding: .utf8)
        #expect(dump == expected)
    }
}
