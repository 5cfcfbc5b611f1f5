import Foundation

/// The bytes of a file that is read once from start to end: mapped read-only where the system
/// allows it, so that the file is never copied, and read into memory otherwise (a pipe, an empty
/// file, a file system without mapping).
///
/// Pages that a reader is done with can be released, so that a large file never sits in memory
/// whole beside what is parsed from it. A class, because it owns the mapping.
final class MappedFile {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Whether `bytes` is a mapping (and not an allocation of ours).
    private let isMapped: Bool
    private static let pageSize = Int(getpagesize())

    /// Maps the file at `path`; messages name `file`, the path as the user gave it.
    init(path: String, file: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw EngineError("no such file", file: file)
        }
        guard !isDirectory.boolValue else {
            throw EngineError("this is a directory; `path` must name a CSV file", file: file)
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw EngineError("the file cannot be read; check its permissions", file: file) }
        defer { close(descriptor) }
        var status = stat()
        let isRegular = fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
        let size = Int(status.st_size)
        if isRegular, size > 0, let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0),
            address != UnsafeMutableRawPointer(bitPattern: -1)
        {
            bytes = UnsafeBufferPointer(start: address.bindMemory(to: UInt8.self, capacity: size), count: size)
            isMapped = true
            return
        }
        bytes = try Self.readAll(descriptor, sizeHint: isRegular ? size : 0, file: file)
        isMapped = false
    }

    /// A copy of bytes already in memory.
    init(copying data: Data) {
        let storage = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, data.count))
        _ = storage.initialize(from: data)
        bytes = UnsafeBufferPointer(rebasing: storage[..<data.count])
        isMapped = false
    }

    deinit {
        if isMapped {
            munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
        } else {
            UnsafeMutableRawPointer(mutating: bytes.baseAddress)?.deallocate()
        }
    }

    /// Gives back the whole pages inside `range`, which will not be read again soon (reading them
    /// later maps them in again from the file). Returns where the released pages end, from where the
    /// next release should start. Does nothing for bytes that are not mapped.
    @discardableResult
    func release(_ range: Range<Int>) -> Int {
        let start = (range.lowerBound + Self.pageSize - 1) / Self.pageSize * Self.pageSize
        let end = range.upperBound / Self.pageSize * Self.pageSize
        guard end > start else { return range.lowerBound }
        if isMapped, let base = bytes.baseAddress {
            _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
        }
        return end
    }

    /// Reads what `descriptor` holds, for files that cannot be mapped.
    private static func readAll(_ descriptor: Int32, sizeHint: Int, file: String) throws -> UnsafeBufferPointer<UInt8> {
        var capacity = max(sizeHint, 1 << 16)
        var storage = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        var count = 0
        while true {
            if count == capacity {
                let larger = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 16)
                larger.copyMemory(from: storage, byteCount: count)
                storage.deallocate()
                storage = larger
                capacity *= 2
            }
            let read = Foundation.read(descriptor, storage + count, capacity - count)
            if read == 0 { break }
            if read < 0 {
                if errno == EINTR { continue }
                storage.deallocate()
                throw EngineError("the file cannot be read; check its permissions", file: file)
            }
            count += read
        }
        return UnsafeBufferPointer(start: storage.bindMemory(to: UInt8.self, capacity: count), count: count)
    }
}
