import Engine
import Notebook
import Runs
import Testing

/// One kind per operation schema, plus commands; its names are the schemas'.
@Suite struct OperationKindTests {
    @Test func oneKindPerEngineOperationInTheSchemasOrder() {
        #expect(OperationKind.operations.map(\.name) == Operations.schemas.map(\.name))
        for schema in Operations.schemas {
            #expect(OperationKind(op: schema.name)?.schema.name == schema.name)
        }
        #expect(OperationKind(op: "run") == nil)
        #expect(OperationKind(op: "fit") == nil)
    }

    @Test func aRecordedNameReadsBack() {
        for kind in OperationKind.operations + [.command] {
            #expect(OperationKind(recorded: kind.name) == kind)
        }
        #expect(OperationKind.command.name == "run")
        #expect(OperationKind.command.keyword == "run")
        #expect(OperationKind.train.keyword == "op")
        #expect(OperationKind(recorded: "") == nil)
    }

    @Test func aStepBodyNamesItsKind() throws {
        let source = """
            ```step data
            op: synthetic
            kind: blobs
            ```

            ```step fit
            run: echo hi
            ```

            ```step other
            op: nonsense
            ```
            """
        let notebook = NotebookParser.parse(source, path: "nb.md").notebook
        let kinds = notebook.steps.map { OperationKind(configuration: $0.configuration(with: [:])) }
        #expect(kinds == [.synthetic, .command, nil])
    }
}
