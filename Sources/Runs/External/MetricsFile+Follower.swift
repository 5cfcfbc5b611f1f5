import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

extension MetricsFile {
    /// Parses `ATHANOR_METRICS` while the command runs, on a thread of its own, so that a script logging a
    /// million points does not wait a second more for them to be parsed after it ends.
    ///
    /// What counts is the file as the command leaves it: `finish` keeps what was parsed only if the file still
    /// begins with the bytes read so far (a `ByteFingerprint` of both, so that they need not be kept) and parses just
    /// the rest; else it parses the file afresh (a script that rewrites it rather than appends), so that the
    /// result and every error are those of `parse`.
    final class Follower: Sendable {
        private let path: String
        private let state = Mutex(State())
        private let done = DispatchSemaphore(value: 0)
        /// Signalled by `finish`, so that a thread waiting for the file to grow stops at once.
        private let wake = DispatchSemaphore(value: 0)

        private struct State: ~Copyable {
            var reader = Reader()
            /// The fingerprint of the bytes read so far.
            var fingerprint = ByteFingerprint()
            /// The first error of a line read so far; reading stops there.
            var error: (any Error)?
            var stopped = false
        }

        /// Starts following the file at `path`, which must exist, looking for more every `interval` while it
        /// does not grow.
        init(path: String, interval: DispatchTimeInterval = .milliseconds(20)) {
            self.path = path
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            DispatchQueue.global().async { [self] in
                defer {
                    if descriptor >= 0 { close(descriptor) }
                    done.signal()
                }
                guard descriptor >= 0 else { return }
                var chunk = [UInt8](repeating: 0, count: 1 << 20)
                // Once stopped, what is left is for `finish` to read.
                while !state.withLock({ $0.stopped }) {
                    let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                    let stop = state.withLock { state -> Bool in
                        if count > 0, state.error == nil {
                            let bytes = chunk[..<count]
                            bytes.withUnsafeBytes { state.fingerprint.update($0) }
                            do {
                                try state.reader.read(bytes)
                            } catch {
                                state.error = error
                            }
                        }
                        return state.stopped || count < 0 || state.error != nil
                    }
                    if stop { return }
                    if count == 0 { _ = wake.wait(timeout: .now() + interval) }
                }
            }
        }

        /// Stops following and returns what the file holds now that the command has ended.
        func finish() throws -> Contents {
            state.withLock { $0.stopped = true }
            wake.signal()
            done.wait()
            // A command that removed the file logged nothing, as `parse` of no bytes says.
            guard try FileSystem.status(path) != nil else { return try parse([]) }
            return try state.withLock { state in
                let read = state.reader.count
                // One pass over the file: the bytes already read are fingerprinted, the rest parsed.
                var prefix = ByteFingerprint()
                var offset = 0
                var tailError: (any Error)?
                try FileSystem.readChunks(ofFileAt: path) { chunk in
                    let split = min(max(read - offset, 0), chunk.count)
                    if split > 0 { prefix.update(UnsafeRawBufferPointer(rebasing: chunk[..<split])) }
                    if split < chunk.count, state.error == nil, tailError == nil {
                        do {
                            try state.reader.read(UnsafeRawBufferPointer(rebasing: chunk[split...]))
                        } catch {
                            tailError = error
                        }
                    }
                    offset += chunk.count
                }
                guard offset >= read, prefix == state.fingerprint else {
                    return try parse(try FileSystem.contents(ofFileAt: path) ?? [])
                }
                if let error = state.error ?? tailError { throw error }
                return try state.reader.finish()
            }
        }
    }
}
