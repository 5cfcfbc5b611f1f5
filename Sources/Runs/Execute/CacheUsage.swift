import Foundation

/// What the step cache holds, and for which notebooks: `athanor cache stats`.
///
/// An object counts for every notebook whose recorded runs need it, so the notebooks' sizes can add up
/// to more than the cache when two share a dataset; `unused` is what `cache gc` would free.
public struct CacheUsage: Sendable, Hashable, Codable {
    /// The objects one notebook's recorded runs need.
    public struct NotebookUsage: Sendable, Hashable, Codable {
        public var notebook: String
        public var runs: Int
        public var objects: Int
        public var bytes: Int
    }

    public var objects: Int
    public var bytes: Int
    /// Largest first, then by path.
    public var notebooks: [NotebookUsage]
    /// The objects no recorded run needs.
    public var unusedObjects: Int
    public var unusedBytes: Int

    /// Measures `store` against the runs' step cache keys: `runs` holds each run's notebook and its
    /// steps' keys.
    public static func measure(_ store: ObjectStore, runs: [(notebook: String, stepKeys: [String])]) throws
        -> CacheUsage
    {
        let sizes = try store.sizes()
        let references = try store.references()
        var objectsOfStep: [String: Set<String>] = [:]
        func objects(ofStep key: String) -> Set<String> {
            if let known = objectsOfStep[key] { return known }
            let found = references[key].map { CacheCollector.objectsOfEntry($0, in: store) } ?? []
            objectsOfStep[key] = found
            return found
        }
        var byNotebook: [String: (runs: Int, objects: Set<String>)] = [:]
        for run in runs {
            var usage = byNotebook[run.notebook] ?? (0, [])
            usage.runs += 1
            for key in run.stepKeys { usage.objects.formUnion(objects(ofStep: key)) }
            byNotebook[run.notebook] = usage
        }
        let used = byNotebook.values.reduce(into: Set<String>()) { $0.formUnion($1.objects) }
        let present = { (keys: Set<String>) in keys.filter { sizes[$0] != nil } }
        let notebooks = byNotebook.map { notebook, usage in
            let kept = present(usage.objects)
            return NotebookUsage(
                notebook: notebook, runs: usage.runs, objects: kept.count,
                bytes: kept.reduce(0) { $0 + (sizes[$1] ?? 0) })
        }
        .sorted { ($0.bytes, $1.notebook) > ($1.bytes, $0.notebook) }
        let unused = sizes.filter { !used.contains($0.key) }
        return CacheUsage(
            objects: sizes.count, bytes: sizes.values.reduce(0, +), notebooks: notebooks,
            unusedObjects: unused.count, unusedBytes: unused.values.reduce(0, +))
    }
}
