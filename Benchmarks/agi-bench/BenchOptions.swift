import Foundation
import NIOCore

/// Command-line options of agi-bench.
struct BenchOptions {
    enum Client: String {
        /// ``EpollRouteClient`` on its own thread: the leanest load.
        case epoll
        /// ``LoadGenerator`` on one NIO event loop.
        case nio
    }

    var duration: Duration = .seconds(5)
    var concurrencies = [1, 50, 500]
    var idle = 10_000
    var client = Client.epoll
    /// Threads of the epoll load client, each with its share of the sessions.
    var clientThreads = 1
    /// Event loops of the server; the default is one per core, as the daemon runs.
    var serverLoops = System.coreCount
    /// Play the load against another server on this loopback port (a reference server), with
    /// no server in this process.
    var targetPort: Int?
    /// Run only the server, on this loopback port, until killed: for a load client in another process.
    var serverOnlyPort: Int?
    /// Run only as the idle client of another agi-bench: connect this many sessions to `idleClientPort`.
    var idleClientPort: Int?

    static let usage =
        "usage: agi-bench [--duration SECONDS] [--concurrency 1,50,500] [--idle N] [--client epoll|nio] [--client-threads N] [--server-loops N] [--target-port PORT] [--server-only PORT]"

    init(arguments: [String]) {
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            switch argument {
            case "--duration": duration = .seconds(Int(remaining.popFirst() ?? "") ?? 5)
            case "--concurrency":
                concurrencies = (remaining.popFirst() ?? "").split(separator: ",").compactMap { Int($0) }
            case "--idle": idle = Int(remaining.popFirst() ?? "") ?? 0
            case "--client":
                guard let client = Client(rawValue: remaining.popFirst() ?? "") else { Self.fail() }
                self.client = client
            case "--client-threads": clientThreads = max(1, Int(remaining.popFirst() ?? "") ?? 1)
            case "--server-loops": serverLoops = max(1, Int(remaining.popFirst() ?? "") ?? 1)
            case "--target-port": targetPort = Int(remaining.popFirst() ?? "")
            case "--server-only": serverOnlyPort = Int(remaining.popFirst() ?? "")
            case "--idle-client":
                idleClientPort = Int(remaining.popFirst() ?? "")
                idle = Int(remaining.popFirst() ?? "") ?? 0
            default:
                Self.fail()
            }
        }
    }

    private static func fail() -> Never {
        print(usage)
        exit(2)
    }
}

/// The process's resident memory (VmRSS from /proc/self/status), in MiB.
func residentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
        let kilobytes = Double(line.split(separator: " ")[1])
    else { return 0 }
    return kilobytes / 1024
}

/// Raises the open-file limit: 10,000 idle sessions need 20,000 descriptors in one process.
func raiseFileLimit(to wanted: UInt) {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
    limit.rlim_cur = rlim_t(wanted)
    limit.rlim_max = max(limit.rlim_max, rlim_t(wanted))
    if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) != 0 {
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
