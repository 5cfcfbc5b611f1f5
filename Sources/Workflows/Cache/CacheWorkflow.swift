import Engine
import Foundation

/// `athanor cache stats|gc|clear`: what the step cache holds, and removing what no run needs.
public struct CacheWorkflow: Sendable {
    public var invocation: Invocation

    public init(in invocation: Invocation) {
        self.invocation = invocation
    }

    /// The cache's objects and bytes in human units, what each notebook's recorded runs need and what
    /// `cache gc` would free; with `json`, the same as one JSON object with byte counts.
    public func stats(json: Bool = false) -> CommandStatus {
        perform(invocation.console) {
            let project = invocation.project
            var runs: [(notebook: String, stepKeys: [String])] = []
            if FileManager.default.fileExists(atPath: project.storePath) {
                runs = try openStoreForReading(project).list().runs.map {
                    (notebook: $0.notebook, stepKeys: $0.steps.map(\.cacheKey))
                }
            }
            let usage = try CacheUsage.measure(ObjectStore(directory: project.cacheDirectory), runs: runs)
            let location = invocation.relativePath(project.cacheDirectory)
            if json {
                invocation.console.printJSON(Self.object(usage, cache: location))
            } else {
                invocation.console.print(Self.text(usage, cache: location))
            }
            return .success
        }
    }

    static func object(_ usage: CacheUsage, cache: String) -> [String: Any] {
        [
            "cache": cache, "objects": usage.objects, "bytes": usage.bytes,
            "unused": ["objects": usage.unusedObjects, "bytes": usage.unusedBytes],
            "notebooks": usage.notebooks.map {
                ["notebook": $0.notebook, "runs": $0.runs, "objects": $0.objects, "bytes": $0.bytes] as [String: Any]
            },
        ]
    }

    /// `.athanor/cache: 41 objects, 2.3 MB`, then a line per notebook and one for what no run needs.
    static func text(_ usage: CacheUsage, cache: String) -> String {
        let objects = { (count: Int) in "\(count) object\(count == 1 ? "" : "s")" }
        var lines = ["\(cache): \(objects(usage.objects)), \(MemoryEstimate.text(usage.bytes))"]
        let width = usage.notebooks.map(\.notebook.count).max() ?? 0
        for notebook in usage.notebooks {
            let runs = "\(notebook.runs) run\(notebook.runs == 1 ? "" : "s")"
            lines.append(
                "  " + notebook.notebook.padding(toLength: width, withPad: " ", startingAt: 0)
                    + "  \(MemoryEstimate.text(notebook.bytes)) in \(objects(notebook.objects)), for \(runs)")
        }
        if usage.unusedObjects > 0 {
            lines.append(
                "  no recorded run needs \(MemoryEstimate.text(usage.unusedBytes)) in "
                    + "\(objects(usage.unusedObjects)): 'athanor cache gc' frees it")
        }
        if usage.notebooks.reduce(usage.unusedBytes, { $0 + $1.bytes }) > usage.bytes {
            lines.append("  (an object that several notebooks need counts for each of them)")
        }
        return lines.joined(separator: "\n")
    }

    /// Removes the cache entries that no recorded run refers to, and what killed runs left in `.athanor/tmp`.
    public func collect() -> CommandStatus {
        perform(invocation.console) {
            let project = invocation.project
            let list = try openStoreForReading(project).list()
            for damaged in list.damaged {
                invocation.console.printError(
                    "athanor: warning: \(damaged); its cache entries are collected with the rest")
            }
            let live = Set(list.runs.flatMap { $0.steps.map(\.cacheKey) })
            let removed = try CacheCollector.collect(in: project, keepingStepsWithKeys: live)
            let temporaries =
                removed.temporaries == 0
                ? ""
                : ", \(removed.temporaries) stale temporary director\(removed.temporaries == 1 ? "y" : "ies")"
            invocation.console.print("removed \(removed.removed) objects, \(removed.bytes) bytes" + temporaries)
            return .success
        }
    }

    public func clear() -> CommandStatus {
        perform(invocation.console) {
            let project = invocation.project
            try ObjectStore(directory: project.cacheDirectory).clear()
            invocation.console.print("cleared \(invocation.relativePath(project.cacheDirectory))")
            return .success
        }
    }
}
