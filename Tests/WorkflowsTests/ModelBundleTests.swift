import Engine
import Foundation
import TestSupport
import Testing
import Workflows

/// `ModelBundle`: a recorded model with its fitted transforms scores raw rows as the run's engine did.
@Suite struct ModelBundleTests {
    /// The engine's `predict` CSV as (label, probabilities) per row.
    static func parsed(_ csv: String) -> [(String, [String])] {
        csv.split(separator: "\n").dropFirst().map { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return (fields[0], Array(fields[1..<(fields.count - 1)]))
        }
    }

    @Test(arguments: ["logistic", "mlp"])
    func rawTestRowsScoreAsTheRunPredictedThem(model: String) throws {
        let fixture = try ModelProject(model: model)
        defer { fixture.remove() }
        let bundle = try ModelBundle.resolve("latest:model", in: fixture.project)
        let table = try fixture.testRows()
        #expect(table.rows.contains { $0.contains(.missing) })
        let scores = try bundle.score(table)
        let expected = Self.parsed(try fixture.enginePredictions())
        #expect(scores.predictions.count == expected.count)
        for (row, (label, probabilities)) in expected.enumerated() {
            #expect(scores.predictions[row] == .text(label))
            #expect(scores.probabilities?[row].map { Self.text($0) } == probabilities)
        }
        #expect(bundle.schema.columns.map(\.name) == ["size", "colour", "weight"])
        #expect(bundle.schema.columns.map(\.missingAllowed) == [true, false, false])
        #expect(bundle.schema.classes == ["large", "medium", "small"])
        #expect(bundle.transforms.count == 1)
        #expect(bundle.lineage.runID == fixture.run)
        #expect(bundle.lineage.datasets.map(\.path) == ["data.csv"])
    }

    /// As `Predict` writes a probability.
    static func text(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    @Test func badRowsAreNamed() throws {
        let fixture = try ModelProject()
        defer { fixture.remove() }
        let bundle = try ModelBundle.resolve(fixture.run, in: fixture.project)
        func problem(_ columns: [String], _ row: [RawValue]) -> String {
            do {
                _ = try bundle.score(RawTable(columns: columns, rows: [row]))
                return "scored"
            } catch {
                return "\(error)"
            }
        }
        #expect(
            problem(["size", "colour", "shape"], [.number(1), .text("red"), .text("round")])
                == "missing column 'weight'; unknown column 'shape'")
        #expect(
            problem(["size", "colour", "weight"], [.text("big"), .text("red"), .missing])
                == "column 'size', row 1: 'big' is text, and the column holds numbers; "
                + "column 'weight', row 1: a missing value, and the model was trained without them")
        // A category the training data lacked is all zeros in a one-hot encoded column, as in the engine.
        #expect(
            problem(["size", "colour", "weight"], [.number(1), .number(2), .number(.nan)])
                == "column 'weight', row 1: nan is not a finite number")
        // The target may come along with the training file's rows; a missing size is imputed.
        #expect(
            problem(["size", "colour", "weight", "kind"], [.missing, .text("purple"), .number(1), .text("x")])
                == "scored")
    }

    @Test func referencesThatNameNoModelAreRefused() throws {
        let fixture = try ModelProject()
        defer { fixture.remove() }
        func refusal(_ reference: String) -> String {
            do {
                _ = try ModelBundle.resolve(reference, in: fixture.project)
                return "resolved"
            } catch let failure as WorkflowFailure {
                return failure.diagnostics.map(\.message).joined(separator: "\n")
            } catch {
                return "\(error)"
            }
        }
        #expect(refusal("ffffffff:model") == "no run 'ffffffff'")
        #expect(
            refusal("latest:prep")
                == "step 'prep' of run \(fixture.run) is a preprocess step, not a model; its models are model")
        #expect(refusal("latest:nope").hasPrefix("run \(fixture.run) has no step 'nope'"))
    }
}
