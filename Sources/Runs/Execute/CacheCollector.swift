import Foundation

/// `athanor cache gc`: keeps the step entries that recorded runs refer to, with every object they
/// point at (outputs, artifacts, series), and removes the rest, and the scratch directories that killed
/// runs left in `.athanor/tmp`.
public enum CacheCollector {
    /// What a collection removed.
    public struct Collected: Sendable, Hashable {
        /// Objects of the cache, and their bytes.
        public var removed: Int
        public var bytes: Int
        /// Scratch directories of command steps whose run was killed (`ScratchDirectory.isStale`).
        public var temporaries: Int
    }

    /// Collects the cache of `project` (as `collect(_:keepingStepsWithKeys:)`) and removes its stale
    /// scratch directories; a live run's are kept, in this process or any other.
    public static func collect(in project: Project, keepingStepsWithKeys live: Set<String>) throws -> Collected {
        let objects = try collect(ObjectStore(directory: project.cacheDirectory), keepingStepsWithKeys: live)
        let temporaries = try removeStaleTemporaries(in: project.temporaryDirectory.path)
        return Collected(removed: objects.removed, bytes: objects.bytes, temporaries: temporaries)
    }

    /// The cache alone: entries no key of `live` names, and the objects no kept entry lists.
    public static func collect(_ objects: ObjectStore, keepingStepsWithKeys live: Set<String>) throws -> (
        removed: Int, bytes: Int
    ) {
        var keep: Set<String> = []
        for (name, object) in try objects.references() {
            guard live.contains(name) else {
                try objects.removeReference(name)
                continue
            }
            keep.formUnion(objectsOfEntry(object, in: objects))
        }
        return try objects.collectGarbage(keeping: keep)
    }

    /// The objects a step's cache entry needs: the entry itself and the outputs, artifacts, series and training
    /// statistics it lists (the entry alone when it cannot be read).
    static func objectsOfEntry(_ entry: String, in objects: ObjectStore) -> Set<String> {
        var needed: Set<String> = [entry]
        guard let bytes = try? objects.get(entry),
            let decoded = try? JSONDecoder().decode(StepEntry.self, from: Data(bytes))
        else { return needed }
        needed.formUnion(decoded.outputs.map(\.object))
        needed.formUnion(decoded.artifacts.map(\.object))
        needed.formUnion(decoded.seriesObjects.values)
        needed.formUnion((decoded.previews ?? []).compactMap(\.statistics).filter(ContentHash.isSHA256))
        return needed
    }

    /// Removes the entries of `directory` (`.athanor/tmp`) that `ScratchDirectory.isStale` takes for
    /// leftovers; returns how many.
    public static func removeStaleTemporaries(in directory: String, now: Int64? = nil) throws -> Int {
        let now = now ?? FileSystem.now()
        var removed = 0
        for name in try FileSystem.contentsOfDirectory(directory) ?? [] {
            let path = directory + "/" + name
            guard ScratchDirectory.isStale(path, now: now) else { continue }
            try FileSystem.removeTree(path)
            removed += 1
        }
        return removed
    }
}
