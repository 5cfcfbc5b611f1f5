import Engine
import Foundation

/// Puts a cached command step's `outputs:` files back beside the notebook on a cache hit, where later steps
/// and readers expect them, each written to a temporary name and renamed.
///
/// The step's `ATHANOR_OUTPUT` files are not written anywhere: that directory was the run's own and is gone;
/// they stay in the cache as the run's artifacts. They must still be there for the hit to count.
struct OutputRestorer {
    let objects: ObjectStore
    let hasher: FileHasher
    /// The notebook's folder, which `outputs:` paths are relative to.
    let directory: URL
    let warning: (String) -> Void

    /// Whether the step's files are all back (false, after a warning, when one is missing from the cache or
    /// cannot be written, so that the step runs again).
    ///
    /// - Throws: when a file would be written through a symbolic link in the notebook's folder that leads
    ///   out of it, naming the file and the link; nothing is written then.
    func restore(_ entry: StepEntry, step: String) throws -> Bool {
        var files: [(path: String, artifact: StepEntry.Artifact)] = []
        for artifact in entry.artifacts {
            switch artifact.place {
            case .notebook?:
                if let escape = FileSystem.linkOutOfFolder(
                    artifact.name, folder: directory.path, includingLast: false)
                {
                    throw EngineError(ExternalStep.linkMessage(artifact.name, escape))
                }
                let path =
                    artifact.name.hasPrefix("/") ? artifact.name : directory.appendingPathComponent(artifact.name).path
                files.append((path, artifact))
            case .output?:
                guard objects.contains(artifact.object) else {
                    warning("artifact '\(artifact.name)' of step '\(step)' is missing from the cache; recomputing")
                    return false
                }
            case nil:
                continue
            }
        }
        do {
            for (path, artifact) in files {
                // A link in place of the file is replaced, not followed.
                if FileSystem.linkStatus(path)?.isRegularFile == true, let current = try? hasher.hash(path),
                    current.sha256 == artifact.object
                {
                    continue
                }
                guard let bytes = try objects.get(artifact.object) else {
                    warning("artifact '\(artifact.name)' of step '\(step)' is missing from the cache; recomputing")
                    return false
                }
                let parent = (path as NSString).deletingLastPathComponent
                try FileSystem.makeDirectory(parent)
                try FileSystem.writeAtomically(bytes, to: path, temporaryDirectory: parent)
            }
            return true
        } catch {
            warning("cannot restore the files of step '\(step)' (\(error)); recomputing")
            return false
        }
    }
}
