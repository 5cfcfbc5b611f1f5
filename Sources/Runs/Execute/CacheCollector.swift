import Foundation

/// `athanor cache gc`: keeps the step entries that recorded runs refer to, with every object they
/// point at, and removes the rest.
public enum CacheCollector {
    public static func collect(_ objects: ObjectStore, keepingStepsWithKeys live: Set<String>) throws -> (
        removed: Int, bytes: Int
    ) {
        var keep: Set<String> = []
        for (name, object) in try objects.references() {
            guard live.contains(name) else {
                try objects.removeReference(name)
                continue
            }
            keep.insert(object)
            guard let bytes = try? objects.get(object),
                let entry = try? JSONDecoder().decode(StepEntry.self, from: Data(bytes))
            else { continue }
            keep.formUnion(entry.outputs.map(\.object))
            keep.formUnion(entry.artifacts.map(\.object))
        }
        return try objects.collectGarbage(keeping: keep)
    }
}
