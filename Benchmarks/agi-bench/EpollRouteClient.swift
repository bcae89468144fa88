#if canImport(Glibc)
import CEpoll
import Foundation
import Glibc

/// Plays Asterisk's side of `route` sessions with non-blocking sockets and one epoll loop on
/// the calling thread, so that the load costs as little CPU as a client can: per session one
/// `socket`, `setsockopt`, `connect`, two `epoll_ctl`, the environment `write`, one `read` and
/// one `write` per command, the `read` of the end of file, and `close`.
///
/// A new connection per session, as Asterisk's `AGI(agi://…)` opens one per call. Every line
/// the server sends is a command (commands are never pipelined) and is answered
/// `200 result=1`, what Asterisk answers to `SET VARIABLE`. A session counts only if the server
/// sent exactly `expectedCommands`, byte for byte, before closing.
struct EpollRouteClient: Sendable {
    let port: UInt16
    let environment: [UInt8]
    let expectedCommands: [UInt8]

    private struct Slot {
        var fd: Int32 = -1
        var started: Int64 = 0
        var connected = false
        var commands: CommandCheck
    }

    /// Runs `concurrency` sessions on `threads` threads of their own, each with an equal share
    /// and an epoll loop of its own, and merges what they measured.
    func run(concurrency: Int, threads: Int, duration: Duration) async -> LoadResult {
        let count = max(1, min(threads, concurrency))
        let shares = (0..<count).map { concurrency / count + ($0 < concurrency % count ? 1 : 0) }
        return await withTaskGroup(of: LoadResult.self) { group in
            for share in shares {
                group.addTask {
                    await withCheckedContinuation { continuation in
                        Thread { continuation.resume(returning: run(concurrency: share, duration: duration)) }.start()
                    }
                }
            }
            var merged = LoadResult(clientCPU: .zero)
            for await result in group { merged.merge(result) }
            return merged
        }
    }

    /// Runs `concurrency` back-to-back sessions on the calling thread until `duration` has
    /// passed, then waits for the sessions still open.
    func run(concurrency: Int, duration: Duration) -> LoadResult {
        let epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        precondition(epoll >= 0, "epoll_create1 failed: \(errno)")
        defer { close(epoll) }
        let cpuBefore = threadCPUNanoseconds()
        let startedAt = monotonicNanoseconds()
        let stopAt = startedAt + Int64(duration.components.seconds) * 1_000_000_000
        var slots = [Slot](repeating: Slot(commands: CommandCheck(expected: expectedCommands)), count: concurrency)
        var result = LoadResult()
        result.latenciesNanoseconds.reserveCapacity(200_000)
        var open = 0
        for index in slots.indices where start(&slots[index], index: index, epoll: epoll, result: &result) { open += 1 }
        let answer = Array("200 result=1\n".utf8)
        var replies: [UInt8] = []
        var readBuffer = [UInt8](repeating: 0, count: 4096)
        var events = [epoll_event](repeating: epoll_event(), count: 512)
        while open > 0 {
            let count = epoll_wait(epoll, &events, Int32(events.count), 1000)
            if count < 0 { if errno == EINTR { continue } else { break } }
            for event in events.prefix(Int(count)) {
                let index = Int(event.data.u64)
                if !slots[index].connected {
                    // The connect finished (or failed): send the environment, then wait for commands.
                    guard event.events & EPOLLERR.rawValue == 0,
                        write(slots[index].fd, environment, environment.count) == environment.count
                    else {
                        finish(&slots[index], epoll: epoll, failed: true, result: &result)
                        open -= 1
                        if monotonicNanoseconds() < stopAt, start(&slots[index], index: index, epoll: epoll, result: &result) { open += 1 }
                        continue
                    }
                    slots[index].connected = true
                    var interest = epoll_event(events: EPOLLIN.rawValue, data: epoll_data_t(u64: UInt64(index)))
                    epoll_ctl(epoll, EPOLL_CTL_MOD, slots[index].fd, &interest)
                    continue
                }
                let received = read(slots[index].fd, &readBuffer, readBuffer.count)
                let failed: Bool
                if received > 0 {
                    slots[index].commands.received(readBuffer.prefix(received))
                    let lines = readBuffer.prefix(received).reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
                    replies.removeAll(keepingCapacity: true)
                    for _ in 0..<lines { replies.append(contentsOf: answer) }
                    if replies.isEmpty || write(slots[index].fd, replies, replies.count) == replies.count { continue }
                    failed = true
                } else if received < 0, errno == EAGAIN {
                    continue
                } else {
                    // End of file: the server closed, the session is over (as AGI() sees it).
                    failed = received < 0
                }
                finish(&slots[index], epoll: epoll, failed: failed, result: &result)
                open -= 1
                if monotonicNanoseconds() < stopAt, start(&slots[index], index: index, epoll: epoll, result: &result) { open += 1 }
            }
        }
        result.elapsed = .nanoseconds(monotonicNanoseconds() - startedAt)
        result.clientCPU = .nanoseconds(threadCPUNanoseconds() - cpuBefore)
        return result
    }

    private func start(_ slot: inout Slot, index: Int, epoll: Int32, result: inout LoadResult) -> Bool {
        slot = Slot(commands: CommandCheck(expected: expectedCommands))
        slot.started = monotonicNanoseconds()
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            result.failures += 1
            return false
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 || errno == EINPROGRESS else {
            close(fd)
            result.failures += 1
            return false
        }
        slot.fd = fd
        // Over loopback the handshake has usually finished by the time connect() returns, even
        // when it says EINPROGRESS: then the environment goes out at once and the session waits
        // only for commands. Otherwise wait until the socket is writable.
        if write(fd, environment, environment.count) == environment.count {
            slot.connected = true
            var interest = epoll_event(events: EPOLLIN.rawValue, data: epoll_data_t(u64: UInt64(index)))
            epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &interest)
            return true
        }
        guard errno == EAGAIN || errno == ENOTCONN else {
            close(fd)
            slot.fd = -1
            result.failures += 1
            return false
        }
        var interest = epoll_event(events: EPOLLOUT.rawValue, data: epoll_data_t(u64: UInt64(index)))
        epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &interest)
        return true
    }

    private func finish(_ slot: inout Slot, epoll: Int32, failed: Bool, result: inout LoadResult) {
        close(slot.fd)  // also removes it from the epoll set
        slot.fd = -1
        if failed {
            result.failures += 1
        } else if !slot.commands.isComplete {
            result.wrongCommands += 1
        } else {
            result.latenciesNanoseconds.append(monotonicNanoseconds() - slot.started)
        }
    }
}
#endif
