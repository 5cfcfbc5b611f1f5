import Engine
import Foundation
import Runs
import Testing

/// A preview shows the balance of a classification target: the rows of each class, in the classes' order.
@Suite struct ClassCountTests {
    func preview(_ csv: String) throws -> DataPreview {
        let dataset = try Load.run(Load.Options(path: "d.csv", target: "label"), data: Data(csv.utf8))
        return DataPreview(name: "data", dataset: dataset)
    }

    @Test func aTextTargetCountsEachClass() throws {
        let preview = try preview("x,label\n1,b\n2,a\n3,b\n4,c\n5,b\n")
        #expect(
            preview.columns.last?.classCounts == [
                ClassCount(name: "a", count: 1), ClassCount(name: "b", count: 3), ClassCount(name: "c", count: 1),
            ])
        #expect(preview.columns.first?.classCounts == nil)
    }

    @Test func aTargetOfFewWholeNumbersCountsEachClassInNumericOrder() throws {
        let preview = try preview("x,label\n1,10\n2,2\n3,10\n4,0\n")
        #expect(
            preview.columns.last?.classCounts == [
                ClassCount(name: "0", count: 1), ClassCount(name: "2", count: 1), ClassCount(name: "10", count: 2),
            ])
    }

    @Test func aContinuousOrManyValuedTargetHasNoClasses() throws {
        #expect(try preview("x,label\n1,0.5\n2,1\n").columns.last?.classCounts == nil)
        let many = (0..<40).map { "\($0),\($0)" }.joined(separator: "\n")
        #expect(try preview("x,label\n\(many)\n").columns.last?.classCounts == nil)
    }

    @Test func previewsRecordedBeforeClassCountsStillDecode() throws {
        let old = #"{"name":"label","role":"target","missing":0,"distinct":2}"#
        #expect(
            try JSONDecoder().decode(ColumnSummary.self, from: Data(old.utf8))
                == ColumnSummary(name: "label", role: .target, missing: 0, distinct: 2))
    }
}
