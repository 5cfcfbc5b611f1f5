import FlyingFox
import FlyingSocks
import Foundation
import Report
import Workflows

#if canImport(Glibc)
    import Glibc
#endif

/// `athanor serve` and `serve-model`: the run browser or a model on a TCP address until the process is stopped.
public struct RunServer: Sendable {
    public var host: String
    public var port: UInt16
    public var handler: any HTTPHandler

    public init(host: String, port: UInt16, handler: any HTTPHandler) {
        self.host = host
        self.port = port
        self.handler = handler
    }

    public init(host: String, port: UInt16, browser: RunBrowser) {
        self.init(host: host, port: port, handler: browser)
    }

    /// Listens, calls `ready` with the address it listens on (the port chosen when `port` is 0), and serves
    /// until the task is cancelled.
    public func run(ready: @escaping @Sendable (String) -> Void) async throws {
        let server = HTTPServer(
            config: HTTPServer.Configuration(
                address: try address(), timeout: 15, pool: NoDelayPool(HTTPServer.defaultPool()),
                logger: DisabledLogger.disabled),
            handler: handler)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            try await server.waitUntilListening()
            var url = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)/"
            switch await server.listeningAddress {
            case .ip4(let ip, let port)?: url = "http://\(ip):\(port)/"
            case .ip6(let ip, let port)?: url = "http://[\(ip)]:\(port)/"
            default: break
            }
            ready(url)
            try await group.next()
        }
    }

    func address() throws -> any SocketAddress {
        do {
            if host == "localhost" { return try sockaddr_in.inet(ip4: "127.0.0.1", port: port) }
            if host.contains(":") { return try sockaddr_in6.inet6(ip6: host, port: port) }
            return try sockaddr_in.inet(ip4: host, port: port)
        } catch {
            throw ServeError("'\(host)' is not an IP address to listen on (write 127.0.0.1, 0.0.0.0, ::1 or ::)")
        }
    }
}

/// What stops the server from starting, said as `athanor: error: …`.
public struct ServeError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// FlyingFox's socket pool, with Nagle's algorithm turned off on every socket it waits on (the listening one,
/// whose accepted sockets inherit it on Linux, and each connection): a response written as headers then body
/// otherwise waits for the client's delayed acknowledgement, 40 ms a request on Linux.
struct NoDelayPool<Pool: AsyncSocketPool>: AsyncSocketPool {
    let pool: Pool

    init(_ pool: Pool) {
        self.pool = pool
    }

    func prepare() async throws { try await pool.prepare() }
    func run() async throws { try await pool.run() }

    func suspendSocket(_ socket: Socket, untilReadyFor events: Socket.Events) async throws {
        var on: Int32 = 1
        _ = setsockopt(
            socket.file.rawValue, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        try await pool.suspendSocket(socket, untilReadyFor: events)
    }
}
