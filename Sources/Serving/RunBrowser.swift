import FlyingFox
import Foundation
import Report
import Workflows

/// The server's pages and API over one project's run store, as a FlyingFox handler: tests call
/// `handleRequest` directly, the server calls it for each request it reads.
///
/// Only the routes below answer; anything else is 404. A path is split on `/` before any `%` is decoded, and
/// a component that decodes to `.`, `..`, nothing or holds `/` or NUL is 404 too, so that no address names a
/// file: artifacts are found by name in the run's record and read from the cache by their hash.
public struct RunBrowser: HTTPHandler {
    public var project: Project
    public var templates: ReportTemplates
    public var access: Access
    let stores: StoreHandle

    public init(project: Project, templates: ReportTemplates, access: Access) {
        self.project = project
        self.templates = templates
        self.access = access
        stores = StoreHandle(path: project.storePath)
    }

    public func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        if let refused = access.check(request) { return refused }
        guard request.method == .GET || request.method == .HEAD else {
            return Responses.text(.methodNotAllowed, "405 method not allowed: this server only reads\n")
        }
        guard let path = Self.components(request.target.path(percentEncoded: true)) else { return Responses.notFound }
        do {
            return try respond(to: path, query: Self.form(request.target.query(percentEncoded: true)))
        } catch {
            return Responses.text(.internalServerError, "500 the store cannot be read: \(error)\n")
        }
    }

    /// The decoded components of a raw path, or nil when one of them could name something else than itself.
    static func components(_ raw: String) -> [String]? {
        guard raw.hasPrefix("/") else { return nil }
        if raw == "/" { return [] }
        var parts: [String] = []
        for piece in raw.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            guard let part = piece.contains("%") ? String(piece).removingPercentEncoding : String(piece), !part.isEmpty,
                part != ".", part != "..",
                !part.contains("/"), !part.contains("\\"), !part.contains("\u{0}")
            else { return nil }
            parts.append(part)
        }
        return parts
    }

    /// A query as a form sends it: `+` is a space, `%2B` a plus.
    static func form(_ raw: String) -> [HTTPRequest.QueryItem] {
        raw.split(separator: "&").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ text: Substring) -> String? {
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            }
            guard let name = parts.first.flatMap(decoded) else { return nil }
            return HTTPRequest.QueryItem(name: name, value: parts.count > 1 ? decoded(parts[1]) ?? "" : "")
        }
    }

    private func respond(to path: [String], query: [HTTPRequest.QueryItem]) throws -> HTTPResponse {
        let connection = try stores.current()
        let browse = BrowseWorkflow(store: connection.store, templates: templates)
        switch path.count {
        case 0:
            let index = RunIndex(query: query, summaries: try connection.summaries())
            return Responses.html(
                index.browsePage().html(templates: templates), policy: BrowsePage.policy(templates: templates))
        case 1 where path[0] == "compare":
            return try compare(query, browse)
        case 2 where path[0] == "runs":
            guard let run = browse.run(path[1]) else { return Responses.notFound }
            return Responses.html(try browse.report(run), policy: templates.reportPolicy)
        case 2 where path[0] == "sweeps":
            guard let page = try browse.sweepPage(path[1], link: Self.link) else { return Responses.notFound }
            return Responses.html(page, policy: templates.sweepPolicy)
        case 4 where path[0] == "runs" && path[2] == "artifacts", 5 where path[0] == "runs" && path[2] == "artifacts":
            return try artifact(path, browse)
        case 2 where path[0] == "api" && path[1] == "runs":
            return Responses.json(try browse.runsJSON())
        case 3 where path[0] == "api" && path[1] == "runs":
            guard
                let json = try connection.runJSON(
                    path[2], { browse.run($0).map { (browse.runJSON($0), $0.status != .running) } })
            else {
                return Responses.notFound
            }
            return Responses.json(json)
        case 3 where path[0] == "api" && path[1] == "sweeps":
            guard let json = try browse.sweepJSON(path[2]) else { return Responses.notFound }
            return Responses.json(json)
        default:
            return Responses.notFound
        }
    }

    /// `/runs/ID/artifacts/STEP/NAME`, or `/runs/ID/artifacts/NAME` when one step made a file of that name.
    private func artifact(_ path: [String], _ browse: BrowseWorkflow) throws -> HTTPResponse {
        guard let run = browse.run(path[1]) else { return Responses.notFound }
        let matches = run.artifacts.filter {
            path.count == 5 ? $0.step == path[3] && $0.name == path[4] : $0.name == path[3]
        }
        guard matches.count == 1, let artifact = matches.first,
            let bytes = try ObjectStore(directory: project.cacheDirectory).get(artifact.sha256)
        else { return Responses.notFound }
        return Responses.download(bytes, name: URL(fileURLWithPath: artifact.name).lastPathComponent)
    }

    /// `/compare?runs=A,B[,…][&all=1]`: 404 unless every id names a run and there are two or more.
    private func compare(_ query: [HTTPRequest.QueryItem], _ browse: BrowseWorkflow) throws -> HTTPResponse {
        let ids = query.filter { $0.name == "runs" }.flatMap { $0.value.split(separator: ",").map(String.init) }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let runs = ids.compactMap(browse.run)
        guard runs.count == ids.count, runs.count >= 2, runs.count <= 20 else {
            return Responses.text(.notFound, "404 give two to twenty recorded runs: /compare?runs=ID,ID\n")
        }
        let all = query.contains { $0.name == "all" && $0.value != "0" }
        var toggle = URLComponents()
        toggle.path = "/compare"
        toggle.queryItems =
            [URLQueryItem(name: "runs", value: runs.map(\.id).joined(separator: ","))]
            + (all ? [] : [URLQueryItem(name: "all", value: "1")])
        let page = ComparisonPage(runs: runs, all: all).page(link: Self.link, toggle: toggle.string ?? "/compare")
        return Responses.html(page.html(templates: templates), policy: BrowsePage.policy(templates: templates))
    }

    static func link(_ id: String) -> String {
        "/runs/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id)
    }
}
