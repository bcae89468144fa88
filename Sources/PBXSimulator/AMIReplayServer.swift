import AMIClient
import AMIModel
import Foundation
import LogKeys
import Logging
import NIOCore
import NIOPosix

/// The manager side of a simulated Asterisk: banner, `Challenge`/MD5 or plain `Login`, `Ping`, `Events`,
/// `CoreShowChannels`, `Logoff`, and the replayed events for every logged-in session.
struct AMIReplayServer: Sendable {
    let host: String
    let port: Int
    let username: String
    let secret: String
    let hub: AMIEventHub
    let logger: Logger

    /// The banner Asterisk 22 sends (the recorded traces show this version).
    static let banner = "Asterisk Call Manager/11.0.0\r\n"

    func run(bound: @escaping @Sendable (Int) -> Void) async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        bound(server.channel.localAddress?.port ?? port)
        logger.info("simulated AMI listening", metadata: [LogKey.address: "\(host):\(server.channel.localAddress?.port ?? port)"])
        try await withThrowingDiscardingTaskGroup { group in
            try await server.executeThenClose { connections in
                for try await connection in connections {
                    group.addTask {
                        do { try await serve(connection) } catch {
                            logger.debug("AMI session ended", metadata: [LogKey.error: "\(error)"])
                        }
                    }
                }
            }
        }
    }

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async throws {
        let channel = connection.channel
        try await connection.executeThenClose { inbound, outbound in
            // An outage (fault injection): the connection closes before the banner, as through a broken network.
            if await hub.isUnreachable {
                logger.debug("simulated AMI refused a connection during the outage")
                return
            }
            try await outbound.write(ByteBuffer(string: Self.banner))
            var decoder = AMIDecoder()
            var challenge: String?
            var subscription: Int?
            defer { if let subscription { Task { await hub.unsubscribe(subscription) } } }
            try await withThrowingTaskGroup(of: Void.self) { forwarding in
                for try await chunk in inbound {
                    decoder.feed(Array(chunk.readableBytesView))
                    while let output = decoder.next() {
                        guard case .message(let action) = output, let name = action["Action"]?.lowercased() else { continue }
                        let id = action.actionID
                        func reply(_ fields: [(key: String, value: String)]) async throws {
                            var all: [(key: String, value: String)] = [fields[0]]
                            if let id { all.append(("ActionID", id)) }
                            all += fields.dropFirst()
                            try await outbound.write(ByteBuffer(bytes: AMIEventHub.encode(AMIMessage(all))))
                        }
                        switch name {
                        case "challenge":
                            let value = String(UInt64.random(in: 100_000_000 ... 999_999_999))
                            challenge = value
                            try await reply([("Response", "Success"), ("Challenge", value)])
                        case "login":
                            let expectedKey = challenge.map { MD5.hexDigest(Array(($0 + secret).utf8)) }
                            let accepted = action["Username"] == username
                                && (action["Secret"] == secret || (expectedKey != nil && action["Key"]?.lowercased() == expectedKey))
                            guard accepted, subscription == nil else {
                                try await reply([("Response", "Error"), ("Message", "Authentication failed")])
                                logger.warning("simulated AMI refused a login", metadata: [LogKey.username: "\(action["Username"] ?? "")"])
                                forwarding.cancelAll()
                                return
                            }
                            try await reply([("Response", "Success"), ("Message", "Authentication accepted")])
                            let (subscriber, events) = await hub.subscribe()
                            subscription = subscriber
                            forwarding.addTask {
                                for await event in events { try await outbound.write(event) }
                                // The hub dropped this session: close it, as a broken connection would.
                                channel.close(promise: nil)
                            }
                        case "ping":
                            try await reply([("Response", "Success"), ("Ping", "Pong"),
                                             ("Timestamp", String(format: "%.6f", Date().timeIntervalSince1970))])
                        case "events":
                            try await reply([("Response", "Success"), ("Events", "On")])
                        case "coreshowchannels":
                            let channels = await hub.coreShowChannels(actionID: id, subscriber: subscription)
                            try await reply([("Response", "Success"), ("EventList", "start"), ("Message", "Channels will follow")])
                            for channel in channels { try await outbound.write(ByteBuffer(bytes: AMIEventHub.encode(channel))) }
                            var complete: [(key: String, value: String)] = [("Event", "CoreShowChannelsComplete")]
                            if let id { complete.append(("ActionID", id)) }
                            complete += [("EventList", "Complete"), ("ListItems", String(channels.count))]
                            try await outbound.write(ByteBuffer(bytes: AMIEventHub.encode(AMIMessage(complete))))
                        case "logoff":
                            try await reply([("Response", "Goodbye"), ("Message", "Thanks for all the fish.")])
                            forwarding.cancelAll()
                            return
                        default:
                            try await reply([("Response", "Error"), ("Message", "Invalid/unknown command")])
                        }
                    }
                }
                forwarding.cancelAll()
            }
        }
    }
}
