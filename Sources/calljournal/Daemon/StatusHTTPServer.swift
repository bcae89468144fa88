import LogKeys
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Prometheus
import ServiceLifecycle

/// `/metrics` (Prometheus text format) and `/healthz` on a loopback HTTP listener.
///
/// Health is 200 with `ok` when every AMI server is connected and the journal is being written, 503 with the
/// reasons otherwise, so a load balancer or a monitoring check can tell at a glance.
struct StatusHTTPServer: Service {
    let host: String
    let port: Int
    let registry: PrometheusCollectorRegistry
    let health: @Sendable () async -> HealthReport
    let logger: Logger

    func run() async throws {
        let registry = self.registry, health = self.health
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
                }
            }
        logger.info("metrics and health listening", metadata: [LogKey.address: "\(host):\(channel.channel.localAddress?.port ?? port)"])
        do {
            try await withGracefulShutdownHandler {
                try await withThrowingDiscardingTaskGroup { group in
                    try await channel.executeThenClose { connections in
                        for try await connection in connections {
                            group.addTask {
                                try? await Self.serve(connection, registry: registry, health: health)
                            }
                        }
                    }
                }
            } onGracefulShutdown: {
                channel.channel.close(promise: nil)
            }
        } catch where Task.isShuttingDownGracefully || Task.isCancelled {
            // Closing the listener to stop can surface as an error from the accept loop; it is the expected end.
            logger.debug("metrics listener closed", metadata: [LogKey.error: "\(error)"])
        }
    }

    private static func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>,
                              registry: PrometheusCollectorRegistry,
                              health: @Sendable () async -> HealthReport) async throws {
        try await connection.executeThenClose { inbound, outbound in
            var path = ""
            for try await part in inbound {
                switch part {
                case .head(let head): path = String(head.uri.prefix { $0 != "?" })
                case .body: continue
                case .end:
                    let (status, contentType, body) = await respond(to: path, registry: registry, health: health)
                    var headers = HTTPHeaders()
                    headers.add(name: "Content-Type", value: contentType)
                    headers.add(name: "Content-Length", value: String(body.count))
                    headers.add(name: "Connection", value: "close")
                    try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers)))
                    try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body))))
                    try await outbound.write(.end(nil))
                    return
                }
            }
        }
    }

    private static func respond(to path: String, registry: PrometheusCollectorRegistry,
                                health: @Sendable () async -> HealthReport) async -> (HTTPResponseStatus, String, [UInt8]) {
        switch path {
        case "/metrics":
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            return (.ok, "text/plain; version=0.0.4; charset=utf-8", buffer)
        case "/healthz":
            let report = await health()
            return (report.isHealthy ? .ok : .serviceUnavailable, "application/json", Array(report.json.utf8))
        default:
            return (.notFound, "text/plain", Array("not found: try /metrics or /healthz\n".utf8))
        }
    }
}

/// What `/healthz` says.
struct HealthReport: Sendable {
    /// Problems in words; empty when healthy.
    var problems: [String]
    /// Extra facts shown either way (`"spool_bytes": 0`, …), as preformatted JSON values.
    var facts: [(String, String)]

    var isHealthy: Bool { problems.isEmpty }

    var json: String {
        let problems = self.problems.map { "\"" + $0.replacingOccurrences(of: "\"", with: "'") + "\"" }.joined(separator: ",")
        let facts = self.facts.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",")
        return "{\"status\":\"\(isHealthy ? "ok" : "degraded")\",\"problems\":[\(problems)]\(facts.isEmpty ? "" : ",")\(facts)}\n"
    }
}
