import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Runs `concurrency` back-to-back `route` sessions against a port for a while with NIO
/// channels and reports throughput and latency (connect to server close, as Asterisk's AGI()
/// call would see it). Costs several times the CPU of ``EpollRouteClient``; kept to compare,
/// and to hold the idle sessions open.
struct LoadGenerator {
    let group: any EventLoopGroup
    let port: Int
    let environment: [UInt8]
    /// What the server must send in each session (see ``CommandCheck``); unused by idle sessions.
    var expectedCommands: [UInt8] = []

    func run(concurrency: Int, duration: Duration) async throws -> LoadResult {
        let collected = NIOLockedValueBox(LoadResult())
        // A literal address: `connect(host:port:)` would run a resolver and Happy Eyeballs per session.
        let address = try SocketAddress(ipAddress: "127.0.0.1", port: port)
        let clock = ContinuousClock()
        let started = clock.now
        let stopAt = NIODeadline.now() + TimeAmount(duration)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for _ in 0..<concurrency {
                tasks.addTask {
                    let loop = group.next()
                    let worker = Worker(bootstrap: bootstrap(on: loop), loop: loop, address: address, stopAt: stopAt)
                    loop.execute { worker.next() }
                    try await worker.finished.futureResult.get()
                    let measured = try await loop.submit { worker.result }.get()
                    collected.withLockedValue { $0.merge(measured) }
                }
            }
            try await tasks.waitForAll()
        }
        var result = collected.withLockedValue { $0 }
        result.elapsed = started.duration(to: clock.now)
        return result
    }

    /// Opens `count` sessions that stay silent after the environment, and returns their channels.
    func openIdle(count: Int) async throws -> [any Channel] {
        var channels: [any Channel] = []
        channels.reserveCapacity(count)
        let bootstrap = ClientBootstrap(group: group)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { [environment] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        RouteLoadClient(environment: channel.allocator.buffer(bytes: environment), answers: false))
                }
            }
        for _ in 0..<count {
            channels.append(try await bootstrap.connect(host: "127.0.0.1", port: port).get())
        }
        return channels
    }

    private func bootstrap(on loop: any EventLoop) -> ClientBootstrap {
        ClientBootstrap(group: loop)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { [environment, expectedCommands] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        RouteLoadClient(
                            environment: channel.allocator.buffer(bytes: environment), answers: true,
                            expectedCommands: expectedCommands))
                }
            }
    }
}

/// One worker's loop of sessions, each started when the previous one closed.
private final class Worker: @unchecked Sendable {
    // @unchecked: every mutable property is touched only on `loop` (the bootstrap is bound to
    // it, so all connect and close callbacks run there, and the results are read through
    // `loop.submit`).
    let bootstrap: ClientBootstrap
    let loop: any EventLoop
    let address: SocketAddress
    let stopAt: NIODeadline
    let finished: EventLoopPromise<Void>
    var result = LoadResult()

    init(bootstrap: ClientBootstrap, loop: any EventLoop, address: SocketAddress, stopAt: NIODeadline) {
        self.bootstrap = bootstrap
        self.loop = loop
        self.address = address
        self.stopAt = stopAt
        self.finished = loop.makePromise()
        result.latenciesNanoseconds.reserveCapacity(100_000)
    }

    func next() {
        loop.preconditionInEventLoop()
        guard NIODeadline.now() < stopAt else { return finished.succeed() }
        let started = NIODeadline.now()
        bootstrap.connect(to: address).assumeIsolated().whenComplete { connected in
            guard case .success(let channel) = connected else {
                self.result.failures += 1
                return self.next()
            }
            guard let client = try? channel.pipeline.syncOperations.handler(type: RouteLoadClient.self) else {
                preconditionFailure("the bootstrap's initializer always adds a RouteLoadClient")
            }
            channel.closeFuture.assumeIsolated().whenComplete { closed in
                switch closed {
                case .success where client.commands.isComplete:
                    self.result.latenciesNanoseconds.append((NIODeadline.now() - started).nanoseconds)
                case .success: self.result.wrongCommands += 1
                case .failure: self.result.failures += 1
                }
                self.next()
            }
        }
    }
}
