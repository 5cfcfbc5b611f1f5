import Foundation

/// Why a request to MLflow failed, in words that say what to do; never with the credentials.
public enum MLflowError: Error, Sendable, CustomStringConvertible, LocalizedError {
    /// No answer after every attempt: the server is down, or the URL is wrong.
    case unreachable(server: String, attempts: Int, reason: String)
    /// A 5xx answer after every attempt.
    case serverError(endpoint: String, status: Int, attempts: Int, message: String)
    /// A 4xx answer: MLflow's error code and message, which name the field it rejected.
    case refused(endpoint: String, status: Int, code: String, message: String)
    /// 401 or 403: the credentials are missing or wrong.
    case unauthorized(server: String, status: Int)
    /// An answer that is not MLflow's JSON: the URL is some other server.
    case notMLflow(server: String, endpoint: String, status: Int, contentType: String)

    public var description: String {
        switch self {
        case .unreachable(let server, let attempts, let reason):
            "cannot reach the MLflow server at \(server) (\(reason); \(attempts) attempt\(attempts == 1 ? "" : "s")); "
                + "is it running? 'mlflow server' starts one, '--mlflow URL' or MLFLOW_TRACKING_URI names it"
        case .serverError(let endpoint, let status, let attempts, let message):
            "the MLflow server failed on \(endpoint) with HTTP \(status) \(attempts) time\(attempts == 1 ? "" : "s")"
                + (message.isEmpty ? "" : ": \(message)")
        case .refused(let endpoint, let status, let code, let message):
            "MLflow refused \(endpoint) (HTTP \(status) \(code)): \(message)"
        case .unauthorized(let server, let status):
            "the MLflow server at \(server) refused the credentials (HTTP \(status)); set MLFLOW_TRACKING_TOKEN, "
                + "or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD"
        case .notMLflow(let server, let endpoint, let status, let contentType):
            "\(server) does not answer as an MLflow tracking server: \(endpoint) gave HTTP \(status)"
                + (contentType.isEmpty ? "" : " (\(contentType))") + " instead of MLflow's JSON"
        }
    }

    public var errorDescription: String? { description }
}

/// How `athanor push` signs its requests, read as MLflow's own client reads it: a bearer token from
/// `MLFLOW_TRACKING_TOKEN`, else basic auth from `MLFLOW_TRACKING_USERNAME` and `MLFLOW_TRACKING_PASSWORD`.
public struct MLflowCredentials: Sendable, Hashable, CustomStringConvertible {
    var header: String?

    public init(environment: [String: String]) {
        if let token = environment["MLFLOW_TRACKING_TOKEN"], !token.isEmpty {
            header = "Bearer \(token)"
        } else if let user = environment["MLFLOW_TRACKING_USERNAME"], !user.isEmpty {
            let password = environment["MLFLOW_TRACKING_PASSWORD"] ?? ""
            header = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        }
    }

    /// Never the secret itself, in case a value is printed.
    public var description: String { header == nil ? "no credentials" : "credentials (hidden)" }
}
