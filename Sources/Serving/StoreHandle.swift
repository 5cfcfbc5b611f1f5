import Foundation
import Runs
import Workflows

/// The project's store, opened read-only once it exists, as a few connections handed out in turn so that
/// requests on both cores do not queue for one: until the store exists each request looks again, so that the
/// first run recorded after the server started shows.
final class StoreHandle: @unchecked Sendable {
    // @unchecked: `connections` and `next` are only read and changed under `lock`; a StoreConnection is Sendable.
    let path: String
    private let lock = NSLock()
    private var connections: [StoreConnection] = []
    private var next = 0
    static let count = max(2, min(8, ProcessInfo.processInfo.activeProcessorCount))

    init(path: String) {
        self.path = path
    }

    func current() throws -> StoreConnection {
        try lock.withLock {
            if !connections.isEmpty {
                next = (next + 1) % connections.count
                return connections[next]
            }
            // Looked at first: a store opened while the file was missing reads as an empty history for good.
            guard FileManager.default.fileExists(atPath: path) else {
                return StoreConnection(try RunStore(readingAt: path))
            }
            connections = try (0..<Self.count).map { _ in StoreConnection(try RunStore(readingAt: path)) }
            return connections[0]
        }
    }
}

/// One read-only connection to the store and what was last read through it, kept while the store's version
/// is unchanged: a request reads the version (one short query) and, when no run was recorded, changed or
/// deleted since, answers from what it read before, so that the index of thousands of runs is not read and
/// parsed again at every reload while it still reflects every new run.
final class StoreConnection: @unchecked Sendable {
    // @unchecked: `kept` is only read and replaced under `lock`; a RunStore is Sendable.
    let store: RunStore
    private let lock = NSLock()
    private var kept = Kept(version: nil)
    /// Runs' JSON kept at most, by the text that named them; past it, the oldest half is let go.
    static let runsKept = 1_000

    /// What was read at one version.
    private struct Kept {
        var version: StoreVersion?
        var summaries: [RunSummary]?
        /// Where `summaries` has runs still running: whether they still are is asked again each time.
        var running: [Int] = []
        var runJSON: [String: String] = [:]
        var order: [String] = []
    }

    init(_ store: RunStore) {
        self.store = store
    }

    /// Every run's summary, newest first (`RunStore.summaries`).
    func summaries() throws -> [RunSummary] {
        // The version is read before the runs: what is kept under it is never older than it.
        guard let version = try store.version() else { return try store.summaries() }
        let found = lock.withLock { kept.version == version ? kept.summaries.map { ($0, kept.running) } : nil }
        if var (summaries, running) = found {
            for index in running { summaries[index] = summaries[index].checked() }
            return summaries
        }
        let summaries = try store.summaries()
        lock.withLock {
            if kept.version != version { kept = Kept(version: version) }
            kept.summaries = summaries
            kept.running = summaries.indices.filter { summaries[$0].status == .running }
        }
        return summaries
    }

    /// The JSON of the run `name` names, as `make` writes it with whether it can be kept (not while the run
    /// is still running: its process may end, and the run read as abandoned, without a change to the store);
    /// nil when `name` names no run.
    func runJSON(_ name: String, _ make: (String) -> (json: String, keep: Bool)?) throws -> String? {
        guard let version = try store.version() else { return make(name)?.json }
        if let json = lock.withLock({ kept.version == version ? kept.runJSON[name] : nil }) { return json }
        guard let (json, keep) = make(name) else { return nil }
        guard keep else { return json }
        lock.withLock {
            if kept.version != version { kept = Kept(version: version) }
            if kept.runJSON.count >= Self.runsKept {
                for old in kept.order.prefix(Self.runsKept / 2) { kept.runJSON.removeValue(forKey: old) }
                kept.order.removeFirst(Self.runsKept / 2)
            }
            if kept.runJSON.updateValue(json, forKey: name) == nil { kept.order.append(name) }
        }
        return json
    }
}
