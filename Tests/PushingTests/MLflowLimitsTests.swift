import Foundation
import Pushing
import Testing

/// How a run is cut into requests that MLflow accepts whole.
@Suite struct MLflowLimitsTests {
    @Test func batchesKeepEveryLimitAndTheOrder() {
        let params = (0..<150).map { KeyValue("p\($0)", "\($0)") }
        let tags = (0..<120).map { KeyValue("t\($0)", "v") }
        let metrics = (0..<2500).map { MetricPoint(key: "m", value: Double($0), step: $0, timestamp: 1) }
        let batches = MLflowLimits.batches(params: params, tags: tags, metrics: metrics)

        #expect(batches.map(\.params.count) == [100, 50, 0, 0, 0])
        #expect(batches.map(\.tags.count) == [0, 100, 20, 0, 0])
        // 20 tags and 980 metrics: 1000 items in all.
        #expect(batches.map(\.metrics.count) == [0, 0, 980, 1000, 520])
        #expect(batches.allSatisfy { $0.count <= 1000 })
        #expect(batches.flatMap(\.params) == params && batches.flatMap(\.tags) == tags)
        #expect(batches.flatMap(\.metrics) == metrics)
    }

    @Test func aBatchStaysUnderAMegabyte() {
        let params = (0..<100).map { KeyValue("p\($0)", String(repeating: "x", count: 6000)) }
        let batches = MLflowLimits.batches(params: params, tags: [], metrics: [])
        #expect(batches.map(\.params.count) == [66, 34])
        for batch in batches {
            #expect(batch.body(runID: "r").count < 1_000_000)
        }
    }

    @Test func longValuesAreSplitByCharacter() {
        #expect(MLflowLimits.parts(of: "abcdefg", limit: 3) == ["abc", "def", "g"])
        #expect(MLflowLimits.parts(of: "ééé", limit: 2) == ["éé", "é"])
        #expect(MLflowLimits.parts(of: "abc", limit: 3) == ["abc"])
    }

    @Test func namesKeepOnlyWhatMLflowAllows() {
        #expect(MLflowLimits.name("eval.f1[cat]") == "eval.f1_cat_")
        #expect(MLflowLimits.name("model.val_loss") == "model.val_loss")
        #expect(MLflowLimits.name("größe: a/b-c") == "größe: a/b-c")
    }

    @Test func theBodyIsJSONWithEveryDigitAndProtobufSpellings() throws {
        let batch = LogBatch(
            metrics: [.nan, .infinity, -.infinity, 1.0 / 9, 1e-300].enumerated().map {
                MetricPoint(key: "m\"\\\n\u{1}é", value: $0.element, step: $0.offset, timestamp: 7)
            }, params: [KeyValue("p", "a\tb")], tags: [KeyValue("t", "\"x\"")])
        let text = String(decoding: batch.body(runID: "r"), as: UTF8.self)
        #expect(
            text.hasPrefix(
                #"{"run_id":"r","metrics":[{"key":"m\"\\\n\u0001é","value":"NaN","step":0,"timestamp":7},"#))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let metrics = try #require(object["metrics"] as? [[String: Any]])
        #expect(metrics.map { "\($0["value"] ?? "")" }.prefix(3) == ["NaN", "Infinity", "-Infinity"])
        // Every digit: Foundation's JSON reader rounds some doubles, so the text itself is compared.
        #expect(text.contains(#""value":\#(1.0 / 9),"step":3,"#) && text.contains(#""value":1e-300,"step":4,"#))
        #expect("\(1.0 / 9)" == "0.1111111111111111")
        #expect(metrics.allSatisfy { $0["key"] as? String == "m\"\\\n\u{1}é" })
        #expect((object["params"] as? [[String: String]]) == [["key": "p", "value": "a\tb"]])
        #expect((object["tags"] as? [[String: String]]) == [["key": "t", "value": "\"x\""]])
    }
}
