import Engine
import Foundation
import TestSupport
import Testing
import Workflows

/// `athanor export`: one file that reads back to the same predictions, and is refused when it is not whole.
@Suite struct ModelFileTests {
    @Test func anExportedModelPredictsTheSame() throws {
        let fixture = try ModelProject(model: "mlp")
        defer { fixture.remove() }
        let console = CapturedConsole()
        let invocation = Invocation(console: console, directory: fixture.folder.url, command: ["athanor", "export"])
        #expect(
            ExportWorkflow(reference: "latest:model", output: "model.athanor", in: invocation).run() == .success,
            "\(console.error)")
        #expect(console.output == "model.athanor: model 'model' of run \(fixture.run), 1 transform, 3 raw columns\n")
        let read = try ModelBundle.read(file: fixture.folder.url.appendingPathComponent("model.athanor"))
        let original = try ModelBundle.resolve("latest:model", in: fixture.project)
        #expect(read == original)
        let table = try fixture.testRows()
        #expect(try read.score(table) == original.score(table))
    }

    static func refusal(_ bytes: [UInt8]) -> String {
        do {
            _ = try ModelBundle.decode(bytes, path: "m.athanor")
            return "read"
        } catch {
            return "\(error)"
        }
    }

    @Test func aDamagedOrForeignFileIsRefused() throws {
        let fixture = try ModelProject()
        defer { fixture.remove() }
        let bundle = try ModelBundle.resolve("latest", in: fixture.project)
        let bytes = try bundle.fileBytes()
        #expect(Self.refusal(bytes) == "read")
        #expect(
            Self.refusal(Array("{\"model\":1}".utf8)).hasSuffix(
                "not an Athanor model file (it does not start with \"ATHMODEL\")"))
        #expect(
            Self.refusal(Array(bytes.prefix(30)))
                == "m.athanor: the file is truncated (30 bytes, shorter than its header)")
        #expect(Self.refusal(Array(bytes.dropLast(10))).hasPrefix("m.athanor: the file is truncated ("))
        var flipped = bytes
        flipped[flipped.count / 2] ^= 1
        #expect(Self.refusal(flipped) == "m.athanor: the file is damaged (its content does not match its SHA-256)")
        var future = bytes
        future[8] = 2
        #expect(
            Self.refusal(future)
                == "m.athanor: model file format 2, and this Athanor reads format 1; export the model again with this version"
        )
        var other = bundle
        other.lineage.engineVersion = "0.0.1"
        #expect(Self.refusal(try other.fileBytes()).hasPrefix("m.athanor: the model was trained by engine 0.0.1"))
        // A file whose checksum fits but whose model does not: its shapes are checked before it is served.
        var crafted = bundle
        if case .logistic(var model) = crafted.model {
            model.intercepts.removeLast()
            crafted.model = .logistic(model)
        }
        #expect(
            Self.refusal(try crafted.fileBytes())
                == "m.athanor: the file's model is inconsistent: its weights do not match its features and classes")
        var renamed = bundle
        renamed.schema.columns[0].name = "length"
        #expect(
            Self.refusal(try renamed.fileBytes()).hasPrefix("m.athanor: the file's model is inconsistent: transform 1"))
    }
}
