import FlyingFox
import Foundation
import Serving
import TestSupport
import Testing
import Workflows

/// `athanor serve-model`'s routes, called in-process: MLflow's input formats, the 400s and the 413, metrics.
@Suite struct ModelServiceTests {
    struct Answer {
        var status: Int
        var text: String
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
        }
    }

    static func call(
        _ service: ModelService, _ method: HTTPMethod, _ target: String, body: String = "",
        type: String = "application/json"
    ) async throws -> Answer {
        let parts = target.split(separator: "?", maxSplits: 1).map(String.init)
        let request = HTTPRequest(
            method: method, version: .http11,
            target: HTTPRequest.Target(path: parts[0], query: parts.count > 1 ? parts[1] : ""),
            headers: [.contentType: type], body: HTTPBodySequence(data: Data(body.utf8)))
        let response = try await service.handleRequest(request)
        return Answer(
            status: response.statusCode.code, text: String(decoding: try await response.bodyData, as: UTF8.self))
    }

    /// A raw value as JSON text.
    static func json(_ value: RawValue) -> String {
        switch value {
        case .number(let number): "\(number)"
        case .text(let text): "\"\(text)\""
        case .missing: "null"
        }
    }

    @Test func everyInputFormatPredictsAsTheEngine() async throws {
        let fixture = try ModelProject(model: "mlp")
        defer { fixture.remove() }
        let log = fixture.folder.path("requests.jsonl")
        let service = try ModelService(
            bundle: try ModelBundle.resolve("latest:model", in: fixture.project), access: Access(token: nil), log: log)
        let table = try fixture.testRows()
        let engine = try fixture.enginePredictions().split(separator: "\n").dropFirst().map {
            String($0.split(separator: ",")[0])
        }
        let expected = "{\"predictions\":[" + engine.map { "\"\($0)\"" }.joined(separator: ",") + "]}\n"
        let columns = table.columns.map { "\"\($0)\"" }.joined(separator: ",")
        let data = table.rows.map { "[" + $0.map(Self.json).joined(separator: ",") + "]" }.joined(separator: ",")
        let records = table.rows.map { row in
            "{" + zip(table.columns, row).map { "\"\($0)\":\(Self.json($1))" }.joined(separator: ",") + "}"
        }.joined(separator: ",")
        let csv =
            table.columns.joined(separator: ",") + "\n"
            + table.rows.map { row in
                row.map { value in
                    switch value {
                    case .number(let number): "\(number)"
                    case .text(let text): text
                    case .missing: ""
                    }
                }.joined(separator: ",")
            }.joined(separator: "\n")
        let bodies = [
            ("{\"dataframe_split\":{\"columns\":[\(columns)],\"data\":[\(data)]}}", "application/json"),
            ("{\"dataframe_records\":[\(records)]}", "application/json"),
            ("{\"instances\":[\(records)]}", "application/json"),
            ("{\"inputs\":[\(data)]}", "application/json"),
            (csv, "text/csv"),
        ]
        for (body, type) in bodies {
            let answer = try await Self.call(service, .POST, "/invocations", body: body, type: type)
            #expect(answer.status == 200, "\(answer.text)")
            #expect(answer.text == expected, "\(body.prefix(40))")
        }
        let one = try await Self.call(
            service, .POST, "/invocations?probabilities=true",
            body: "{\"dataframe_split\":{\"columns\":[\(columns)],\"data\":[\(data)]}}")
        let probabilities = try #require(one.json["predictions"] as? [[Double]])
        #expect(probabilities.count == table.rows.count)
        #expect(one.json["classes"] as? [String] == ["large", "medium", "small"])
        // One line per scored row, in the shape the monitor reads.
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == table.rows.count * bodies.count + table.rows.count)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(Set(first.keys) == ["time", "inputs", "prediction"])
        #expect(first["prediction"] as? String == engine[0])
        #expect((first["time"] as? String)?.hasSuffix("Z") == true)
        #expect(Set((first["inputs"] as? [String: Any])?.keys.map { $0 } ?? []) == ["size", "colour", "weight"])
    }

    @Test func badInputIsA400NamingItAndTheServerGoesOn() async throws {
        let fixture = try ModelProject()
        defer { fixture.remove() }
        let service = try ModelService(
            bundle: try ModelBundle.resolve("latest", in: fixture.project), access: Access(token: nil))
        let malformed = try await Self.call(service, .POST, "/invocations", body: "{\"dataframe_split\": [1,")
        #expect(malformed.status == 400)
        #expect(malformed.json["error_code"] as? String == "BAD_REQUEST")
        let columns = try await Self.call(
            service, .POST, "/invocations",
            body: "{\"dataframe_split\":{\"columns\":[\"size\",\"colour\",\"shape\"],\"data\":[[1,\"red\",2]]}}")
        #expect(columns.status == 400)
        #expect(columns.json["missing"] as? [String] == ["weight"])
        #expect(columns.json["extra"] as? [String] == ["shape"])
        let text = try await Self.call(
            service, .POST, "/invocations",
            body: "{\"dataframe_records\":[{\"size\":\"NaN\",\"colour\":\"red\",\"weight\":1}]}")
        #expect(text.status == 400)
        #expect(
            text.json["message"] as? String == "column 'size', row 1: 'NaN' is text, and the column holds numbers")
        let csv = try await Self.call(
            service, .POST, "/invocations", body: "size,colour,weight\n1,red,heavy\n", type: "text/csv")
        #expect(
            csv.json["message"] as? String == "column 'weight', row 1: 'heavy' is text, and the column holds numbers")
        let large = try await Self.call(
            service, .POST, "/invocations", body: String(repeating: " ", count: ModelService.maximumBody + 1))
        #expect(large.status == 413)
        let good = try await Self.call(
            service, .POST, "/invocations", body: "{\"instances\":[{\"size\":1,\"colour\":\"red\",\"weight\":1}]}")
        #expect(good.status == 200)
        let none = try await Self.call(
            service, .POST, "/invocations",
            body: "{\"dataframe_split\":{\"columns\":[\"size\",\"colour\",\"weight\"],\"data\":[]}}")
        #expect(none.text == "{\"predictions\":[]}\n")
        #expect(try await Self.call(service, .GET, "/invocations").status == 405)
        #expect(try await Self.call(service, .GET, "/nothing").status == 404)
        #expect(try await Self.call(service, .GET, "/health").status == 200)
        let version = try await Self.call(service, .GET, "/version").json
        #expect(version["run"] as? String == fixture.run)
        #expect(version["model"] as? String == "model")
        #expect((version["datasets"] as? [[String: String]])?.first?["path"] == "data.csv")

        let metrics = try PrometheusText.parse(try await Self.call(service, .GET, "/metrics").text)
        #expect(metrics["athanor_requests_total{code=\"400\"}"] == 4)
        #expect(metrics["athanor_requests_total{code=\"413\"}"] == 1)
        #expect(metrics["athanor_requests_total{code=\"200\"}"] == 4)
        #expect(metrics["athanor_errors_total{reason=\"bad_input\"}"] == 4)
        #expect(metrics["athanor_errors_total{reason=\"too_large\"}"] == 1)
        #expect(metrics["athanor_rows_scored_total"] == 1)
        #expect(metrics["athanor_request_duration_seconds_count"] == 11)
        #expect(metrics["athanor_request_duration_seconds_bucket{le=\"+Inf\"}"] == 11)
        // The one row scored (size 1, weight 1) against the training file, in its standard deviations.
        for column in service.bundle.schema.columns where column.isNumeric {
            let mean = try #require(column.mean)
            let deviation = try #require(column.deviation)
            #expect(metrics["athanor_feature_drift{feature=\"\(column.name)\"}"] == abs(1 - mean) / deviation)
        }
        #expect(metrics["athanor_feature_drift{feature=\"size\"}"].map { $0 > 1 } == true)
        let predicted = ["large", "medium", "small"].compactMap {
            metrics["athanor_predictions_total{class=\"\($0)\"}"]
        }
        #expect(predicted.count == 3 && predicted.reduce(0, +) == 1)
    }

    @Test func aTokenIsAskedFor() async throws {
        let fixture = try ModelProject()
        defer { fixture.remove() }
        let service = try ModelService(
            bundle: try ModelBundle.resolve("latest", in: fixture.project), access: Access(token: "s3cret"))
        #expect(try await Self.call(service, .GET, "/health").status == 401)
    }
}

/// A strict reader of Prometheus' text format (0.0.4): `# HELP`/`# TYPE` lines, then samples
/// `name{label="value",...} number`, each family typed before its samples, names and labels well formed.
enum PrometheusText {
    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    /// Each sample's value by its name and labels as written.
    static func parse(_ text: String) throws -> [String: Double] {
        var samples: [String: Double] = [:]
        var typed: [String: String] = [:]
        let name = /[a-zA-Z_:][a-zA-Z0-9_:]*/
        let sample =
            /(?<series>[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*",?)*\})?) (?<value>\S+)/
        guard text.hasSuffix("\n") else { throw Invalid(description: "the text does not end in a newline") }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            if line.hasPrefix("# HELP ") { continue }
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                guard parts.count == 4, (try? name.wholeMatch(in: parts[2])) != nil,
                    ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3])
                else { throw Invalid(description: "bad TYPE line: \(line)") }
                typed[String(parts[2])] = String(parts[3])
                continue
            }
            guard let match = try sample.wholeMatch(in: line),
                let value = Double(match.value) ?? (match.value == "+Inf" ? .infinity : nil)
            else { throw Invalid(description: "bad sample: \(line)") }
            let series = String(match.series)
            let base = String(series.prefix { $0 != "{" })
            let family = ["_bucket", "_sum", "_count", "_total"].reduce(base) { name, suffix in
                typed[name] == nil && name.hasSuffix(suffix) && typed[String(name.dropLast(suffix.count))] != nil
                    ? String(name.dropLast(suffix.count)) : name
            }
            guard typed[family] != nil else { throw Invalid(description: "sample before its TYPE: \(line)") }
            guard samples[series] == nil else { throw Invalid(description: "sample given twice: \(line)") }
            samples[series] = value
        }
        return samples
    }
}
