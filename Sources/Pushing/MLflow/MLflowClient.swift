import Foundation
import Workflows

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// MLflow's REST API 2.0 over HTTP, one request at a time: JSON in and out, retried with back-off when the
/// server cannot be reached or answers 5xx.
public final class MLflowClient: Sendable {
    /// The tracking URL, without a trailing slash.
    public let base: String
    /// The URL as shown to the user: without any user name or password in it.
    public let shown: String
    let credentials: MLflowCredentials
    let attempts: Int
    let firstDelay: Double
    let session: URLSession

    public init(url: String, credentials: MLflowCredentials, attempts: Int = 5, firstDelay: Double = 0.5) {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        self.base = base
        var parts = URLComponents(string: base)
        parts?.user = nil
        parts?.password = nil
        shown = parts?.string ?? base
        self.credentials = credentials
        self.attempts = max(1, attempts)
        self.firstDelay = firstDelay
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 120
        configuration.httpMaximumConnectionsPerHost = 1
        session = URLSession(configuration: configuration)
    }

    /// `POST /api/2.0/mlflow/ENDPOINT` with `body` as JSON; the answer's JSON object.
    @discardableResult
    public func post(_ endpoint: String, _ body: [String: Any]) throws -> [String: Any] {
        try post(endpoint, json: try JSONSerialization.data(withJSONObject: body))
    }

    /// `POST /api/2.0/mlflow/ENDPOINT` with `json`, a JSON object's text.
    @discardableResult
    public func post(_ endpoint: String, json: Data) throws -> [String: Any] {
        try call(endpoint, method: "POST", path: "/api/2.0/mlflow/\(endpoint)", body: json)
    }

    /// `GET /api/2.0/mlflow/ENDPOINT?QUERY`.
    public func get(_ endpoint: String, query: [String: String]) throws -> [String: Any] {
        var parts = URLComponents()
        parts.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        let suffix = parts.percentEncodedQuery.map { "?" + $0.replacingOccurrences(of: "+", with: "%2B") } ?? ""
        return try call(endpoint, method: "GET", path: "/api/2.0/mlflow/\(endpoint)" + suffix, body: nil)
    }

    /// `PUT /api/2.0/mlflow-artifacts/artifacts/PATH` with `data`.
    public func putArtifact(_ path: String, _ data: Data) throws {
        let encoded = path.split(separator: "/").map {
            String($0).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? String($0)
        }.joined(separator: "/")
        _ = try call(
            "artifact \(path)", method: "PUT", path: "/api/2.0/mlflow-artifacts/artifacts/\(encoded)", body: data,
            contentType: "application/octet-stream")
    }

    func call(
        _ endpoint: String, method: String, path: String, body: Data?, contentType: String = "application/json"
    ) throws -> [String: Any] {
        guard let url = URL(string: base + path) else {
            throw MLflowError.unreachable(server: shown, attempts: 0, reason: "not a URL")
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        if body != nil { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        request.setValue("athanor/\(AthanorVersion.current)", forHTTPHeaderField: "User-Agent")
        if let header = credentials.header { request.setValue(header, forHTTPHeaderField: "Authorization") }
        var delay = firstDelay
        for attempt in 1...attempts {
            let answer = send(request)
            if attempt < attempts {
                let retry: Bool
                switch answer {
                case .failure: retry = true
                case .success(let (status, _, _)): retry = status >= 500 || status == 429
                }
                if retry {
                    Thread.sleep(forTimeInterval: delay)
                    delay = min(delay * 2, 8)
                    continue
                }
            }
            switch answer {
            case .failure(let error):
                throw MLflowError.unreachable(server: shown, attempts: attempts, reason: Self.reason(error))
            case .success(let (status, data, type)):
                return try interpret(endpoint, status: status, data: data, contentType: type, attempts: attempts)
            }
        }
        throw MLflowError.unreachable(server: shown, attempts: attempts, reason: "no answer")
    }

    func interpret(_ endpoint: String, status: Int, data: Data, contentType: String, attempts: Int) throws -> [String:
        Any]
    {
        if status == 401 || status == 403 { throw MLflowError.unauthorized(server: shown, status: status) }
        let object =
            data.isEmpty && (200..<300).contains(status)
            ? [:] : (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) as? [String: Any]
        guard let object else {
            if status >= 500 {
                let text = String(decoding: data.prefix(300), as: UTF8.self)
                throw MLflowError.serverError(endpoint: endpoint, status: status, attempts: attempts, message: text)
            }
            throw MLflowError.notMLflow(server: shown, endpoint: endpoint, status: status, contentType: contentType)
        }
        if (200..<300).contains(status) { return object }
        let code = object["error_code"] as? String ?? ""
        let message = object["message"] as? String ?? ""
        if status >= 500 {
            throw MLflowError.serverError(endpoint: endpoint, status: status, attempts: attempts, message: message)
        }
        if code.isEmpty && message.isEmpty {
            throw MLflowError.notMLflow(server: shown, endpoint: endpoint, status: status, contentType: contentType)
        }
        throw MLflowError.refused(endpoint: endpoint, status: status, code: code, message: message)
    }

    /// One request, waited for: the status, body and content type, or the error that kept it from an answer.
    func send(_ request: URLRequest) -> Result<(Int, Data, String), Error> {
        let answer = Answer()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { data, response, error in
            if let error {
                answer.result = .failure(error)
            } else if let response = response as? HTTPURLResponse {
                let type = response.value(forHTTPHeaderField: "Content-Type") ?? ""
                answer.result = .success((response.statusCode, data ?? Data(), type))
            } else {
                answer.result = .failure(URLError(.badServerResponse))
            }
            done.signal()
        }
        task.resume()
        done.wait()
        return answer.result ?? .failure(URLError(.unknown))
    }

    static func reason(_ error: Error) -> String {
        guard let error = error as? URLError else { return "\(error)" }
        switch error.code {
        case .cannotConnectToHost: return "connection refused"
        case .timedOut: return "timed out"
        case .cannotFindHost, .dnsLookupFailed: return "unknown host"
        case .networkConnectionLost: return "connection lost"
        default: return error.localizedDescription
        }
    }
}

/// The result of a request, written by URLSession's queue and read after the semaphore: never both at once.
private final class Answer: @unchecked Sendable {
    var result: Result<(Int, Data, String), Error>?
}
