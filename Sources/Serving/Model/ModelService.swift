import FlyingFox
import Foundation
import Workflows

/// `athanor serve-model`: a model bundle behind MLflow's scoring protocol, as a FlyingFox handler (tests call
/// `handleRequest` directly). `POST /invocations` scores raw rows; `GET /health` (`/ping`), `/version` and
/// `/metrics` describe the server. A request the model cannot score is a 400 naming why; the server goes on.
public struct ModelService: HTTPHandler {
    public let bundle: ModelBundle
    public var access: Access
    let metrics: ModelMetrics
    let log: PredictionLog?

    /// The largest body read; a larger one is a 413.
    public static let maximumBody = 16 << 20

    public init(bundle: ModelBundle, access: Access, log: String? = nil) throws {
        self.bundle = bundle
        self.access = access
        metrics = ModelMetrics(schema: bundle.schema)
        self.log = try log.map { try PredictionLog(path: $0) }
    }

    public func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        let started = ContinuousClock.now
        let (response, error) = await answer(request)
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        metrics.request(code: response.statusCode.code, seconds: seconds, error: error)
        return response
    }

    private func answer(_ request: HTTPRequest) async -> (HTTPResponse, String?) {
        if let refused = access.check(request) { return (refused, "unauthorized") }
        let path = request.path
        switch (request.method, path) {
        case (.POST, "/invocations"):
            return await invocations(request)
        case (.GET, "/health"), (.GET, "/ping"), (.HEAD, "/health"), (.HEAD, "/ping"):
            return (Self.json(.ok, "{\"status\":\"ok\"}"), nil)
        case (.GET, "/version"):
            return (Self.json(.ok, version), nil)
        case (.GET, "/metrics"):
            var headers = Responses.common("text/plain; version=0.0.4; charset=utf-8")
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return (HTTPResponse(statusCode: .ok, headers: headers, body: Data(metrics.text.utf8)), nil)
        case (_, "/invocations"), (_, "/health"), (_, "/ping"), (_, "/version"), (_, "/metrics"):
            return (Self.error(.methodNotAllowed, "METHOD_NOT_ALLOWED", "\(request.method.rawValue) \(path)"), nil)
        default:
            return (Self.error(.notFound, "NOT_FOUND", "no route \(path)"), "not_found")
        }
    }

    private func invocations(_ request: HTTPRequest) async -> (HTTPResponse, String?) {
        let (length, contentType) = Self.lengthAndType(request.headers)
        if let length = length.flatMap(Int.init), length > Self.maximumBody {
            return (Self.tooLarge, "too_large")
        }
        var body = Data()
        do {
            for try await chunk in request.bodySequence {
                guard body.count + chunk.count <= Self.maximumBody else { return (Self.tooLarge, "too_large") }
                body.append(chunk)
            }
        } catch {
            return (Self.error(.badRequest, "BAD_REQUEST", "the body could not be read"), "bad_input")
        }
        let probabilities = request.query.first { $0.name == "probabilities" }.map { $0.value != "false" } ?? false
        do {
            let table = try ScoringRequest.table(
                body, contentType: contentType, schema: bundle.schema)
            let scores = try bundle.score(table)
            record(table, scores)
            return (Self.json(.ok, Self.encode(scores, probabilities: probabilities)), nil)
        } catch let malformed as ScoringRequest.Malformed {
            return (Self.error(.badRequest, "BAD_REQUEST", malformed.description), "bad_input")
        } catch let problem as ScoringError {
            return (Self.error(.badRequest, "BAD_REQUEST", problem.description, details: problem), "bad_input")
        } catch {
            return (Self.error(.badRequest, "BAD_REQUEST", "\(error)"), "engine")
        }
    }

    /// `Content-Length` and `Content-Type` in one pass over the headers, their names compared as ASCII without
    /// case: FlyingFox's lookup lowercases the name and compares through Foundation.
    static func lengthAndType(_ headers: HTTPHeaders) -> (length: String?, type: String?) {
        func named(_ header: HTTPHeader, _ lowercase: String) -> Bool {
            let name = header.rawValue.utf8
            return name.count == lowercase.utf8.count
                && zip(name, lowercase.utf8).allSatisfy { ($0 >= 65 && $0 <= 90 ? $0 + 32 : $0) == $1 }
        }
        var length: String?
        var type: String?
        for (header, value) in headers {
            if length == nil, named(header, "content-length") {
                length = value
            } else if type == nil, named(header, "content-type") {
                type = value
            }
        }
        return (length, type)
    }

    /// Counts the predictions and writes each row to the log.
    private func record(_ table: RawTable, _ scores: Scores) {
        metrics.observe(table)
        if scores.classes != nil {
            metrics.scored(labels: scores.predictions.map(Self.labelText))
        } else {
            metrics.scored(values: scores.predictions.map { if case .number(let value) = $0 { value } else { .nan } })
        }
        guard let log else { return }
        let time = "\"" + Date().formatted(PredictionLog.clock) + "\""
        let names = table.columns.map(JSONText.string)
        var lines = ""
        for (row, prediction) in zip(table.rows, scores.predictions) {
            let inputs = zip(names, row).map { "\($0):\(JSONText.value($1))" }.joined(separator: ",")
            lines += "{\"time\":\(time),\"inputs\":{\(inputs)},\"prediction\":\(JSONText.value(prediction))}\n"
        }
        log.append(lines)
    }

    static func labelText(_ value: RawValue) -> String {
        switch value {
        case .text(let text): text
        case .number(let number): JSONText.number(number)
        case .missing: ""
        }
    }

    /// `{"predictions": [...]}`; with probabilities, a list per row in the order of `classes`.
    static func encode(_ scores: Scores, probabilities: Bool) -> String {
        if probabilities, let rows = scores.probabilities, let classes = scores.classes {
            let list = rows.map { "[" + $0.map(JSONText.number).joined(separator: ",") + "]" }.joined(separator: ",")
            let names = classes.map(JSONText.value).joined(separator: ",")
            return "{\"predictions\":[\(list)],\"classes\":[\(names)]}"
        }
        return "{\"predictions\":[" + scores.predictions.map(JSONText.value).joined(separator: ",") + "]}"
    }

    /// Run id, model, engine and data hashes.
    var version: String {
        let lineage = bundle.lineage
        let datasets = lineage.datasets.map {
            "{\"path\":\(JSONText.string($0.path)),\"sha256\":\(JSONText.string($0.sha256))}"
        }.joined(separator: ",")
        let columns = bundle.schema.columns.map { JSONText.string($0.name) }.joined(separator: ",")
        return "{\"run\":\(JSONText.string(lineage.runID)),\"model\":\(JSONText.string(lineage.step)),"
            + "\"task\":\(JSONText.string(bundle.schema.task)),"
            + "\"notebook\":\(JSONText.string(lineage.notebook)),"
            + "\"notebook_sha256\":\(JSONText.string(lineage.notebookSHA256)),"
            + "\"engine\":\(JSONText.string(lineage.engineVersion)),\"athanor\":\(JSONText.string(lineage.toolVersion)),"
            + "\"columns\":[\(columns)],\"datasets\":[\(datasets)]}"
    }

    static let tooLarge = error(
        .payloadTooLarge, "REQUEST_TOO_LARGE", "the body is larger than \(maximumBody >> 20) MiB; send fewer rows")

    static func json(_ status: HTTPStatusCode, _ text: String) -> HTTPResponse {
        HTTPResponse(statusCode: status, headers: jsonHeaders, body: Data((text + "\n").utf8))
    }

    /// Made once: FlyingFox hashes and compares each header's name through Foundation, without case, which
    /// costs more than scoring a row.
    private static let jsonHeaders = Responses.common("application/json")

    /// MLflow's error shape, `{"error_code": …, "message": …}`, with the columns at fault when known.
    static func error(_ status: HTTPStatusCode, _ code: String, _ message: String, details: ScoringError? = nil)
        -> HTTPResponse
    {
        var text = "{\"error_code\":\(JSONText.string(code)),\"message\":\(JSONText.string(message))"
        if let details {
            func list(_ names: [String]) -> String { "[" + names.map(JSONText.string).joined(separator: ",") + "]" }
            let mistyped = details.mistyped.map {
                "{\"column\":\(JSONText.string($0.column)),\"row\":\($0.row),\"reason\":\(JSONText.string($0.reason))}"
            }.joined(separator: ",")
            text += ",\"missing\":\(list(details.missing)),\"extra\":\(list(details.extra)),\"mistyped\":[\(mistyped)]"
        }
        var response = json(status, text + "}")
        if status == .payloadTooLarge { response.headers[.connection] = "close" }
        return response
    }
}

/// JSON text for the few values the server writes, without a round trip through an encoder.
enum JSONText {
    static func string(_ text: String) -> String { CanonicalJSON.quoted(text) }

    /// The shortest text that reads back as `value`; null for what JSON cannot hold.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }

    static func value(_ value: RawValue) -> String {
        switch value {
        case .number(let figure): number(figure)
        case .text(let text): string(text)
        case .missing: "null"
        }
    }
}
