import Foundation

/// A command step's own directory in `.athanor/tmp/`, `RUN-STEP-XXXXXXXX`, for its parameters, metrics and
/// `ATHANOR_OUTPUT`, so that runs at once (a sweep, a cluster sharing the project) never meet in one.
///
/// It holds `owner.json`, the `RunOwner` of the process that made it, so that `athanor cache gc` can tell
/// the directory of a killed run, to remove, from that of a live one, to keep. The step removes the directory
/// when it ends, whatever the outcome; only a killed process leaves one behind.
struct ScratchDirectory {
    static let ownerFile = "owner.json"
    /// How long a directory whose owner cannot be checked (none recorded, or a process of another host) must
    /// have been left unchanged before `cache gc` takes it for a leftover: a command may train for days.
    static let unverifiedLifetime: Int64 = 7 * 24 * 3_600 * 1_000_000_000

    let path: String
    var parameters: String { path + "/params.json" }
    var metrics: String { path + "/metrics.jsonl" }
    /// The command's `ATHANOR_OUTPUT`.
    var output: String { path + "/output" }

    /// Makes a new directory for `step` of `run` in `temporaryDirectory`, its owner recorded first.
    static func make(in temporaryDirectory: String, run: String, step: String) throws -> ScratchDirectory {
        let scratch = ScratchDirectory(
            path: "\(temporaryDirectory)/\(run)-\(step)-\(UUID().uuidString.prefix(8).lowercased())")
        try FileSystem.makeDirectory(scratch.path)
        do {
            if let owner = RunOwner.current {
                let bytes = Array(try JSONEncoder().encode(owner))
                try FileSystem.writeAtomically(
                    bytes, to: scratch.path + "/" + ownerFile, temporaryDirectory: scratch.path)
            }
            try FileSystem.makeDirectory(scratch.output)
        } catch {
            try? FileSystem.removeTree(scratch.path)
            throw error
        }
        return scratch
    }

    /// Whether the directory at `path` is a leftover: its owner is gone, or, when that cannot be checked,
    /// nothing in it changed for `unverifiedLifetime`. A live run's directory is never stale.
    static func isStale(_ path: String, now: Int64 = FileSystem.now()) -> Bool {
        let owner = (try? FileSystem.contents(ofFileAt: path + "/" + ownerFile)).flatMap {
            try? JSONDecoder().decode(RunOwner.self, from: Data($0))
        }
        switch owner?.liveness {
        case .alive?: return false
        case .gone?: return true
        case .unknown?, nil: return newestChange(path) < now - unverifiedLifetime
        }
    }

    /// The latest modification time of `path` and of everything under it, symbolic links not followed.
    private static func newestChange(_ path: String) -> Int64 {
        guard let status = FileSystem.linkStatus(path) else { return 0 }
        var newest = status.modificationTime
        if status.isDirectory {
            for name in (try? FileSystem.contentsOfDirectory(path)) ?? [] {
                newest = max(newest, newestChange(path + "/" + name))
            }
        }
        return newest
    }
}
