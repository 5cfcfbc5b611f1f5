import Foundation
import Notebook
import Runs
import Testing

/// The example notebooks pass; each invalid fixture fails with exactly the diagnostics recorded beside it.
///
/// `NAME.expected` holds what `athanor check NAME.md` prints, whole (`NAME.md:LINE:COL: error: MESSAGE`, with
/// its suggestion and notes), so that a message that loses its point fails even when the fixture's name holds
/// the words. Set ATHANOR_RECORD=1 to re-record them after a deliberate change, then read the diff.
@Suite struct CorpusTests {
    static func invalidDirectory() throws -> URL {
        guard let url = Bundle.module.url(forResource: "Fixtures/invalid", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile)
        }
        return url
    }

    /// The invalid fixtures' names, without `.md`.
    static func fixtures() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: try invalidDirectory().path)
            .filter { $0.hasSuffix(".md") }.map { String($0.dropLast(3)) }.sorted()
    }

    /// What `check` prints for the fixture, its path as the fixture's name, and how many errors that is.
    static func printed(_ name: String) throws -> (text: String, errors: Int) {
        let directory = try invalidDirectory().path + "/"
        let check = FileCheck(path: directory + name + ".md")
        let text = check.diagnostics.map { $0.description.replacingOccurrences(of: directory, with: "") }
        return (text.joined(separator: "\n") + "\n", check.diagnostics.filter { $0.severity == .error }.count)
    }

    @Test func theCorpusIsLargeEnough() throws {
        #expect(try Self.fixtures().count >= 70)
    }

    @Test(arguments: try fixtures())
    func invalidNotebookPrintsItsRecordedDiagnostics(_ name: String) throws {
        let (printed, errors) = try Self.printed(name)
        if ProcessInfo.processInfo.environment["ATHANOR_RECORD"] != nil {
            // Record into the source tree, not the copied bundle.
            let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("Fixtures/invalid/\(name).expected")
            try printed.write(to: source, atomically: true, encoding: .utf8)
            return
        }
        let snapshot = try Self.invalidDirectory().appendingPathComponent("\(name).expected")
        let expected = try String(contentsOf: snapshot, encoding: .utf8)
        #expect(printed == expected)
        // One mistake per fixture: exactly one error.
        #expect(errors == 1, "\(printed)")
    }

    @Test func everyExampleNotebookChecksOut() throws {
        let paths = try Examples.notebookPaths()
        #expect(paths.count >= 3)
        for path in paths {
            let check = FileCheck(path: path.path)
            #expect(check.diagnostics.isEmpty, "\(path.lastPathComponent): \(check.diagnostics)")
        }
    }

    @Test func examplesCoverClassificationRegressionAndClustering() throws {
        var models: Set<String> = []
        for path in try Examples.notebookPaths() {
            let check = FileCheck(path: path.path)
            let notebook = try #require(check.notebook)
            for step in notebook.steps {
                if let model = step.configuration(with: notebook.defaultValues)["model"]?.string {
                    models.insert(model)
                }
            }
        }
        #expect(models.isSuperset(of: ["logistic", "ridge", "kmeans"]))
    }
}
