import Foundation

/// Files kept under a test target's `Fixtures/` folder (copied as a resource), by name.
public enum Fixtures {
    public struct Missing: Error, CustomStringConvertible {
        public var description: String
    }

    public static func url(_ name: String, in bundle: Bundle) throws -> URL {
        guard let url = bundle.url(forResource: "Fixtures/\(name)", withExtension: nil) else {
            throw Missing(description: "no fixture '\(name)' in \(bundle.bundlePath)")
        }
        return url
    }

    public static func text(_ name: String, in bundle: Bundle) throws -> String {
        try String(contentsOf: url(name, in: bundle), encoding: .utf8)
    }
}
