import Crypto
import Foundation

/// SHA-256 as the cache spells it: 64 lowercase hexadecimal digits. Content, never timestamps,
/// decides whether a step's inputs changed (DESIGN §2).
public enum ContentHash {
    /// The SHA-256 of bytes in memory.
    public static func sha256(_ bytes: some DataProtocol) -> String {
        hex(SHA256.hash(data: bytes))
    }

    /// The SHA-256 and size of a file, read in 1 MiB chunks so that a large dataset is never
    /// held in memory whole.
    ///
    /// - Throws: `FileAccessError` naming `path` when the file is missing, a directory or unreadable.
    public static func sha256(fileAt path: String) throws -> (sha256: String, bytes: Int) {
        var hasher = SHA256()
        let bytes = try FileSystem.readChunks(ofFileAt: path) { chunk in hasher.update(bufferPointer: chunk) }
        return (hex(hasher.finalize()), bytes)
    }

    /// Whether `text` has the form of a SHA-256 as this type writes it.
    public static func isSHA256(_ text: some StringProtocol) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(64)
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
