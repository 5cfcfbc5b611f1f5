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
    /// What counts is the file as the command leaves it: `finish` reads it whole and keeps what was parsed
    /// only if the file begins with the bytes read so far, else parses the file afresh (a script that
    /// rewrites it rather than appends), so that the result and every error are those of `parse`.
    final class Follower: Sendable {
        private let path: String
        private let state = Mutex(State())
        private let done = DispatchSemaphore(value: 0)

        private struct State: ~Copyable {
            var reader = Reader()
            /// The first error of a line read so far; reading stops there.
            var error: (any Error)?
            var stopped = false
        }

        /// Starts following the file at `path`, which must exist.
        init(path: String) {
            self.path = path
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            DispatchQueue.global().async { [self] in
                defer {
                    if descriptor >= 0 { close(descriptor) }
                    done.signal()
                }
                guard descriptor >= 0 else { return }
                var chunk = [UInt8](repeating: 0, count: 1 << 20)
                while true {
                    let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                    let stop = state.withLock { state -> Bool in
                        if count > 0, state.error == nil {
                            do {
                                try state.reader.read(chunk[..<count])
                            } catch {
                                state.error = error
                            }
                        }
                        return state.stopped || count < 0 || state.error != nil
                    }
                    if stop { return }
                    if count == 0 { usleep(20_000) }
                }
            }
        }

        /// Stops following and returns what the file holds now that the command has ended.
        func finish() throws -> Contents {
            state.withLock { $0.stopped = true }
            done.wait()
            let whole = try FileSystem.contents(ofFileAt: path) ?? []
            return try state.withLock { state in
                // Compared in place: a copy of the bytes read would make the append below copy them all.
                let grown =
                    whole.count >= state.reader.bytes.count
                    && whole.withUnsafeBytes { whole in
                        state.reader.bytes.withUnsafeBytes { read in
                            guard let start = whole.baseAddress, let bytes = read.baseAddress else {
                                return read.isEmpty
                            }
                            return memcmp(start, bytes, read.count) == 0
                        }
                    }
                guard grown else { return try parse(whole) }
                if let error = state.error { throw error }
                try state.reader.read(whole[state.reader.bytes.count...])
                return try state.reader.finish()
            }
        }
    }
}
