import Crypto
import Engine
import Foundation

/// What a step's cache key is made of (DESIGN §2), kept so that a miss can be explained by
/// comparing it with the previous run's.
public struct CacheKeyIngredients: Sendable, Hashable, Codable {
    /// 2: datasets in the columnar form (docs/dataset-format.md) instead of JSON.
    /// 3: a step entry's series as the base64 of packed points instead of a list of objects.
    /// 4: each series an object of its own, its packed points, which the entry names by key.
    public static let formatVersion = 4

    public var format: Int
    public var engine: String
    /// The step's resolved configuration in canonical form.
    public var configuration: String
    /// The cache keys of the steps it reads, by step name.
    public var upstream: [String: String]
    /// SHA-256 of each file it reads, by path as written in the step.
    public var files: [String: String]
    /// Every parameter of the run as JSON text, for a command step: it reads them all from
    /// `ATHANOR_PARAMS`, whether or not its body names them. Nil for engine steps.
    public var parameters: [String: String]?

    public init(
        configuration: String, upstream: [String: String], files: [String: String],
        parameters: [String: String]? = nil
    ) {
        self.format = Self.formatVersion
        self.engine = EngineVersion.current
        self.configuration = configuration
        self.upstream = upstream
        self.files = files
        self.parameters = parameters
    }

    /// SHA-256 of the ingredients, each field length-prefixed so that no two can run together.
    public var key: String {
        var text = "athanor-step\n"
        func add(_ label: String, _ value: String) {
            text += "\(label) \(value.utf8.count)\n\(value)\n"
        }
        add("format", String(format))
        add("engine", engine)
        add("configuration", configuration)
        for (name, key) in upstream.sorted(by: { $0.key < $1.key }) { add("upstream \(name)", key) }
        for (path, hash) in files.sorted(by: { $0.key < $1.key }) { add("file \(path)", hash) }
        if let parameters {
            add("parameters", String(parameters.count))
            for (name, value) in parameters.sorted(by: { $0.key < $1.key }) { add("parameter \(name)", value) }
        }
        return SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Why `self` differs from `previous`, in words, most telling first.
    public func differences(from previous: CacheKeyIngredients, parameters: [String]) -> [String] {
        var reasons: [String] = []
        if previous.format != format { reasons.append("the cache format changed") }
        if previous.engine != engine { reasons.append("the engine changed (\(previous.engine) → \(engine))") }
        for (path, hash) in files.sorted(by: { $0.key < $1.key }) {
            if let old = previous.files[path] {
                if old != hash { reasons.append("file '\(path)' changed content") }
            } else {
                reasons.append("it now reads file '\(path)'")
            }
        }
        for path in previous.files.keys.sorted() where files[path] == nil {
            reasons.append("it no longer reads file '\(path)'")
        }
        for (name, value) in self.parameters?.sorted(by: { $0.key < $1.key }) ?? [] {
            if let old = previous.parameters?[name], old != value {
                reasons.append("parameter '\(name)' changed (\(old) → \(value))")
            }
        }
        if previous.configuration != configuration {
            let changed = Self.changedSettings(previous.configuration, configuration)
            if changed.isEmpty {
                reasons.append("its settings changed")
            } else {
                reasons += changed
            }
        }
        for (name, key) in upstream.sorted(by: { $0.key < $1.key }) where previous.upstream[name] != key {
            reasons.append("upstream step '\(name)' changed")
        }
        return reasons
    }

    /// "setting 'lr' changed (0.05 → 0.1)" for each top-level key whose value differs.
    static func changedSettings(_ old: String, _ new: String) -> [String] {
        func settings(_ text: String) -> [String: String]? {
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
                return nil
            }
            return object.mapValues { value in
                guard JSONSerialization.isValidJSONObject([value]),
                    let data = try? JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys]),
                    let text = String(data: data, encoding: .utf8)
                else { return "\(value)" }
                return String(text.dropFirst().dropLast())
            }
        }
        guard let before = settings(old), let after = settings(new) else { return [] }
        return Set(before.keys).union(after.keys).sorted().compactMap { key in
            switch (before[key], after[key]) {
            case let (was?, now?) where was != now: "setting '\(key)' changed (\(was) → \(now))"
            case (nil, let now?): "setting '\(key)' was added (\(now))"
            case (let was?, nil): "setting '\(key)' was removed (was \(was))"
            default: nil
            }
        }
    }
}
