import AGIHandlers
import Foundation
import Logging
import NIOCore
import NIOPosix

// agi-bench: FastAGI `route` sessions over loopback against an in-process server.
//
//   agi-bench [--duration SECONDS] [--concurrency 1,50,500] [--idle 10000] [--client epoll|nio]
//             [--client-threads N] [--server-loops N] [--target-port PORT] [--server-only PORT]
//
// The load plays Asterisk's side of the recorded S1 `route` session (same environment bytes)
// and answers every command with `200 result=1`. It runs on threads of its own; the server
// runs on its own event loops (one per core by default). Both share the machine.
//
// A session counts only if the server sent exactly the four SET VARIABLE commands route must
// send for this caller (`expectedCommands`). If any session of a level failed, on the client's
// side or the server's, it prints what failed instead of that level's figures and exits 1.

let options = BenchOptions(arguments: Array(CommandLine.arguments.dropFirst()))
raiseFileLimit(to: 65_536)

let environment = Array(
    """
    agi_network: yes
    agi_network_script: route?did=5551000&cid=79161234567
    agi_request: agi://127.0.0.1:4573/route?did=5551000&cid=79161234567
    agi_channel: PJSIP/trunk-00000000
    agi_language: en
    agi_type: PJSIP
    agi_uniqueid: 1795358807.0
    agi_version: 22.10.1
    agi_callerid: 79161234567
    agi_calleridname: unknown
    agi_callingpres: 0
    agi_callingani2: 0
    agi_callington: 0
    agi_callingtns: 0
    agi_dnid: 5551000
    agi_rdnis: unknown
    agi_context: from-trunk
    agi_extension: 5551000
    agi_priority: 7
    agi_enhanced: 0.0
    agi_accountcode: 
    agi_threadid: 140563176240832


    """.utf8)

/// What `route` must send for that environment: 79161234567 is a known client whose responsible employee is
/// Agent 101 (id 1, SIP account 101), online. The C server in Benchmarks/reference sends the same.
let expectedCommands = Array(
    """
    SET VARIABLE ROUTE_STATUS "OK"
    SET VARIABLE ROUTE_DIAL "PJSIP/101"
    SET VARIABLE ROUTE_EMPLOYEE_ID "1"
    SET VARIABLE ROUTE_EMPLOYEE_NAME "Agent 101"

    """.utf8)

/// Stops the benchmark, without figures, when a level had failed sessions.
func refuseFiguresIfAnySessionFailed(_ level: String, _ result: LoadResult, serverFailures: Int = 0) {
    var problems = result.problem.map { [$0] } ?? []
    if serverFailures > 0 { problems.append("the server counted \(serverFailures) failed sessions") }
    guard !problems.isEmpty else { return }
    print("FAILED, no figures: \(level): " + problems.joined(separator: "; "))
    exit(1)
}

if let idlePort = options.idleClientPort {
    // The idle sessions' client side lives in its own process: one process may hold only
    // 20,000 descriptors here, and the server's VmRSS is then measured without the client's.
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let channels = try await LoadGenerator(group: group, port: idlePort, environment: environment).openIdle(count: options.idle)
    print("connected \(channels.count)")
    try await Task.sleep(for: .seconds(600))
    exit(0)
}

#if canImport(Glibc)
let epollAvailable = true
#else
let epollAvailable = false
#endif

if let targetPort = options.targetPort {
    #if canImport(Glibc)
    // Only the load, against a server in another process: its CPU is not in this process's figures.
    let client = EpollRouteClient(port: UInt16(targetPort), environment: environment, expectedCommands: expectedCommands)
    for concurrency in options.concurrencies {
        let result = await client.run(concurrency: concurrency, threads: options.clientThreads, duration: options.duration)
        refuseFiguresIfAnySessionFailed("concurrency \(concurrency)", result)
        print(
            String(
                format: "concurrency %4d: %8.0f sessions/s  p50 %6.2f ms  p99 %6.2f ms  (%d sessions, none failed), client CPU %.0f µs per session",
                concurrency, result.sessionsPerSecond, milliseconds(result.percentile(0.50)), milliseconds(result.percentile(0.99)),
                result.sessions, seconds(result.clientCPU ?? .zero) * 1e6 / Double(max(1, result.sessions))))
    }
    exit(0)
    #else
    print("--target-port needs the epoll load client (Linux)")
    exit(2)
    #endif
}

let agent = DirectoryEmployee(
    id: 1, fullName: "Agent 101", extensionNumber: "101", isOnline: true, sipAccounts: ["101"], phoneNumbers: [])
let directory = StaticDirectorySource(
    DirectorySnapshot(employees: [agent], categories: [], contactOwners: ["79161234567": 1]))

var configuration = AGIServerConfiguration(port: options.serverOnlyPort ?? 0)
configuration.maximumSessions = 20_000
configuration.commandTimeout = .seconds(120)
let logger = Logger(label: "agi-bench") { _ in SwiftLogNoOpLogHandler() }
let serverGroup = MultiThreadedEventLoopGroup(numberOfThreads: options.serverLoops)
let server = try await AGIServer.bind(
    configuration: configuration, router: .standard(directory: directory, store: DiscardingStore()), group: serverGroup,
    logger: logger)
guard let port = server.localPort else { fatalError("the server has no port") }
if options.serverOnlyPort != nil {
    print("agi-bench: route server on 127.0.0.1:\(port), \(options.serverLoops) event loop(s); stop it with a signal")
    try await server.run()
    exit(0)
}
let clientGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)

/// One load level with the chosen client; the client's own CPU is measured where it can be.
func runLoad(concurrency: Int, duration: Duration) async throws -> LoadResult {
    switch options.client {
    case .nio:
        return try await LoadGenerator(group: clientGroup, port: port, environment: environment, expectedCommands: expectedCommands)
            .run(concurrency: concurrency, duration: duration)
    case .epoll:
        #if canImport(Glibc)
        let client = EpollRouteClient(port: UInt16(port), environment: environment, expectedCommands: expectedCommands)
        return await client.run(concurrency: concurrency, threads: options.clientThreads, duration: duration)
        #else
        return try await LoadGenerator(group: clientGroup, port: port, environment: environment, expectedCommands: expectedCommands)
            .run(concurrency: concurrency, duration: duration)
        #endif
    }
}

try await withThrowingTaskGroup(of: Void.self) { group in
    group.addTask { try await server.run() }
    print(
        "agi-bench: route sessions over loopback, \(options.duration) per level, "
            + "client: \(epollAvailable ? options.client.rawValue : "nio")"
            + (options.client == .epoll && epollAvailable ? " on \(options.clientThreads) thread(s), " : ", ")
            + "server event loops: \(options.serverLoops)")
    let serverFailures = { server.metrics.snapshot().failures.values.reduce(0, +) }
    let warmUp = try await runLoad(concurrency: 50, duration: .seconds(1))
    refuseFiguresIfAnySessionFailed("warm-up", warmUp, serverFailures: serverFailures())
    for concurrency in options.concurrencies {
        let before = serverFailures()
        let cpuBefore = processCPUNanoseconds()
        let result = try await runLoad(concurrency: concurrency, duration: options.duration)
        let processCPU = Duration.nanoseconds(processCPUNanoseconds() - cpuBefore)
        refuseFiguresIfAnySessionFailed("concurrency \(concurrency)", result, serverFailures: serverFailures() - before)
        print(
            String(
                format: "concurrency %4d: %8.0f sessions/s  p50 %6.2f ms  p99 %6.2f ms  (%d sessions, none failed)",
                concurrency, result.sessionsPerSecond, milliseconds(result.percentile(0.50)),
                milliseconds(result.percentile(0.99)), result.sessions))
        let perSession = { (cpu: Duration) in seconds(cpu) * 1e6 / Double(max(1, result.sessions)) }
        if let clientCPU = result.clientCPU {
            print(
                String(
                    format: "                  CPU per session: %.0f µs in all, server %.0f µs, client %.0f µs",
                    perSession(processCPU), perSession(processCPU - clientCPU), perSession(clientCPU)))
        } else {
            print(String(format: "                  CPU per session: %.0f µs in all (client and server)", perSession(processCPU)))
        }
    }
    if options.idle > 0 {
        let baseline = residentMegabytes()
        let client = Process()
        client.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        client.arguments = ["--idle-client", String(port), String(options.idle)]
        try client.run()
        while server.metrics.snapshot().activeSessions < options.idle { try await Task.sleep(for: .milliseconds(50)) }
        try await Task.sleep(for: .milliseconds(500))
        let loaded = residentMegabytes()
        print(
            String(
                format: "idle sessions %d: server VmRSS %.1f MiB (before %.1f MiB: %.1f KiB per open session)",
                options.idle, loaded, baseline, (loaded - baseline) * 1024 / Double(options.idle)))
        client.terminate()
        client.waitUntilExit()
    }
    group.cancelAll()
}
try await clientGroup.shutdownGracefully()
try await serverGroup.shutdownGracefully()

struct DiscardingStore: CallAnnotationStore {
    func savePostCallResult(_ result: PostCallResult) async throws {}
    func setEmployeeOnline(employeeID: Int64, isOnline: Bool) async throws {}
}
