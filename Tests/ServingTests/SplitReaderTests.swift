import Foundation
import Testing
import Workflows

@testable import Serving

/// The fast reader of `dataframe_split` bodies changes no answer: for every body it reads exactly what the general
/// `JSONSerialization` way reads, and it leaves every other body (other formats, bad JSON) to that way.
struct SplitReaderTests {
    static let schema = RawSchema(
        columns: [
            RawSchema.Column(name: "a", kind: .numeric, missingAllowed: true, unseenAllowed: false),
            RawSchema.Column(
                name: "b", kind: .categorical(levels: ["x", "y"]), missingAllowed: true, unseenAllowed: false),
        ], target: "y", task: "classification")

    @Test(arguments: [
        #"{"dataframe_split": {"columns": ["a", "b"], "data": [[1.5, "x"], [-0.25e2, null], [0, true]]}}"#,
        #"{"dataframe_split":{"data":[[12345678901234567890,"y"]],"columns":["a","b"]}}"#,
        " \n\t{ \"dataframe_split\" : { \"columns\" : [ \"a\" ] , \"data\" : [ [ 1E+3 ] , [ -0 ] ] } } \r\n",
        #"{"dataframe_split": {"columns": [], "data": []}}"#,
        #"{"dataframe_split": {"columns": ["a", "b"], "data": [[1, "é ü"], [false, 2]]}}"#,
        #"{"dataframe_split": {"columns": ["a"], "data": [[1, 2], []]}}"#,
    ])
    func readsAsTheGeneralWayReads(_ body: String) throws {
        let fast = try #require(SplitReader.table(Data(body.utf8)))
        let general = try ScoringRequest.general(Data(body.utf8), schema: Self.schema)
        #expect(fast == general)
    }

    @Test(arguments: [
        // Other formats and shapes, valid JSON: the general way's to read or refuse.
        #"{"dataframe_records": [{"a": 1}]}"#,
        #"{"dataframe_split": {"columns": ["a"], "data": [[1]], "index": [0]}}"#,
        #"{"dataframe_split": {"columns": ["a"], "data": [[1]]}, "inputs": [[1]]}"#,
        #"{"dataframe_split": {"columns": ["a"], "columns": ["b"], "data": [[1]]}}"#,
        #"{"dataframe_split": {"columns": ["a\"b"], "data": [[1]]}}"#,
        #"{"dataframe_split": {"columns": ["a"], "data": [[[1]]]}}"#,
        #"{"dataframe_split": {"columns": ["a"], "data": [[{"v": 1}]]}}"#,
        #"{"dataframe_split": {"columns": ["a"], "data": [[1e400]]}}"#,
        // Not JSON.
        #"{"dataframe_split": {"columns": ["a"], "data": [[01]]}}"#,
        #"{"dataframe_split": {"columns": ["a"], "data": [[1.]]}}"#,
        #"{"dataframe_split": {"columns": ["a"], "data": [[NaN]]}}"#,
        #"{"dataframe_split": {"columns": ["a"], "data": [[1,]]}}"#,
        #"{"dataframe_split": {"columns": ["a"], "data": [[1]]}} x"#,
        #"{"dataframe_split": {"columns": ["a"], "data": [[1]]"#,
        #"{"dataframe_split": {"columns": ["a"], "data": [[nul]]}}"#,
        "",
    ])
    func leavesEveryOtherBodyToTheGeneralWay(_ body: String) {
        #expect(SplitReader.table(Data(body.utf8)) == nil)
    }

    @Test func textThatIsNotUTF8IsLeftToo() {
        var body = Array(#"{"dataframe_split": {"columns": ["a"], "data": [[""#.utf8)
        body += [0xC3, 0x28]
        body += Array(#""]]}}"#.utf8)
        #expect(SplitReader.table(Data(body)) == nil)
    }
}
