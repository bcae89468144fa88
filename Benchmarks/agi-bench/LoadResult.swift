/// What one load level measured. Only sessions that went right count in `sessions` and the latencies.
struct LoadResult: Sendable {
    /// Sessions that could not connect or broke off.
    var failures = 0
    /// Sessions the server ended normally but with other commands than the ones expected.
    var wrongCommands = 0
    var elapsed = Duration.zero
    var latenciesNanoseconds: [Int64] = []
    /// CPU time of the client's own thread over the run, when measured.
    var clientCPU: Duration?

    var sessions: Int { latenciesNanoseconds.count }

    /// Adds what another client running at the same time measured: the run lasted as long as
    /// the longer of the two, and the CPU times add up.
    mutating func merge(_ other: LoadResult) {
        failures += other.failures
        wrongCommands += other.wrongCommands
        elapsed = max(elapsed, other.elapsed)
        latenciesNanoseconds += other.latenciesNanoseconds
        if let mine = clientCPU, let theirs = other.clientCPU { clientCPU = mine + theirs } else { clientCPU = nil }
    }

    var sessionsPerSecond: Double { Double(sessions) / seconds(elapsed) }

    /// Why this level's figures mean nothing, or nil when every session went right.
    var problem: String? {
        guard failures > 0 || wrongCommands > 0 else { return nil }
        return "\(failures + wrongCommands) of \(sessions + failures + wrongCommands) sessions failed "
            + "(\(failures) could not connect or broke off, \(wrongCommands) got other commands than route must send)"
    }

    func percentile(_ fraction: Double) -> Duration {
        guard !latenciesNanoseconds.isEmpty else { return .zero }
        let sorted = latenciesNanoseconds.sorted()
        let index = min(sorted.count - 1, Int(Double(sorted.count) * fraction))
        return .nanoseconds(sorted[index])
    }
}

func seconds(_ duration: Duration) -> Double {
    duration / .seconds(1)
}

func milliseconds(_ duration: Duration) -> Double {
    seconds(duration) * 1000
}
