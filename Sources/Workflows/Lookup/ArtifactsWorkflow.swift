import Foundation

/// `athanor artifacts RUN [--out DIR]`: copies the files a run's steps produced (a command's `ATHANOR_OUTPUT`,
/// `predict`'s CSV) out of the cache, as `DIR/STEP/NAME`, so that they can be used without Athanor.
public struct ArtifactsWorkflow: Sendable {
    public var id: String
    /// Where the files go; `RUN-artifacts` in the working folder by default.
    public var out: String?
    public var invocation: Invocation

    public init(id: String, out: String? = nil, in invocation: Invocation) {
        self.id = id
        self.out = out
        self.invocation = invocation
    }

    public func run() -> CommandStatus {
        let console = invocation.console
        return perform(console) {
            let project = invocation.project
            let record = try Lookup.run(id, in: try openStoreForReading(project))
            guard !record.artifacts.isEmpty else {
                console.print("run \(record.id) recorded no artifacts")
                return .success
            }
            let destination = invocation.url(out ?? "\(record.id)-artifacts")
            let objects = ObjectStore(directory: project.cacheDirectory)
            var missing: [String] = []
            for artifact in record.artifacts {
                let name = "\(artifact.step)/\(artifact.name)"
                guard Self.isSafe(artifact.step), Self.isSafe(artifact.name) else {
                    throw WorkflowFailure(.failure, [Diagnostics.tool("artifact '\(name)' has an unsafe name")])
                }
                guard let bytes = try objects.get(artifact.sha256) else {
                    missing.append(name)
                    continue
                }
                let file = destination.appendingPathComponent(name)
                try FileManager.default.createDirectory(
                    at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(bytes).write(to: file, options: .atomic)
                console.print(project.relative(file))
            }
            if !missing.isEmpty {
                throw WorkflowFailure(
                    .failure,
                    [
                        Diagnostics.tool(
                            "\(missing.count) artifact\(missing.count == 1 ? " is" : "s are") no longer in the cache "
                                + "(\(missing.joined(separator: ", "))); 'athanor reproduce \(record.id)' makes them again"
                        )
                    ])
            }
            return .success
        }
    }

    /// A relative path that stays where it is put: no empty, `.` or `..` component, not absolute.
    public static func isSafe(_ name: String) -> Bool {
        !name.hasPrefix("/") && !name.isEmpty
            && name.split(separator: "/", omittingEmptySubsequences: false).allSatisfy {
                !$0.isEmpty && $0 != "." && $0 != ".."
            }
    }
}
