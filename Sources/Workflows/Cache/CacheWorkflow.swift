import Foundation

/// `athanor cache stats|gc|clear`: what the step cache holds, and removing what no run needs.
public struct CacheWorkflow: Sendable {
    public var invocation: Invocation

    public init(in invocation: Invocation) {
        self.invocation = invocation
    }

    public func stats() -> CommandStatus {
        perform(invocation.console) {
            let project = invocation.project
            let stats = try ObjectStore(directory: project.cacheDirectory).stats()
            invocation.console.print("\(project.cacheDirectory.path): \(stats.objects) objects, \(stats.bytes) bytes")
            return .success
        }
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
            invocation.console.print("cleared \(project.cacheDirectory.path)")
            return .success
        }
    }
}
