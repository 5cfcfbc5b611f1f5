import Foundation
import Notebook
import Runs
import Testing

/// The example notebooks pass; each invalid fixture fails with one error at its expected line.
@Suite struct CorpusTests {
    struct Expectation: CustomStringConvertible, Sendable {
        var file: String
        var line: Int
        var fragment: String
        var description: String { file }
    }

    static func expectations() throws -> [Expectation] {
        guard let url = Bundle.module.url(forResource: "Fixtures/invalid/expected", withExtension: "tsv") else {
            return []
        }
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").compactMap { row in
            let fields = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 3, let line = Int(fields[1]) else { return nil }
            return Expectation(file: fields[0], line: line, fragment: fields[2])
        }
    }

    @Test func theCorpusIsLargeEnough() throws {
        #expect(try Self.expectations().count >= 40)
    }

    @Test(arguments: try expectations())
    func invalidNotebookIsRejectedAtItsLine(_ expectation: Expectation) throws {
        let url = try #require(
            Bundle.module.url(forResource: "Fixtures/invalid/\(expectation.file)", withExtension: nil))
        let check = FileCheck(path: url.path)
        let errors = check.diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 1, "\(errors)")
        let error = try #require(errors.first)
        #expect(error.location?.line == expectation.line, "\(error)")
        #expect(error.description.lowercased().contains(expectation.fragment.lowercased()), "\(error)")
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
