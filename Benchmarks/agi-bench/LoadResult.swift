/// What one load level measured.
struct LoadResult: Sendable {
    var failures = 0
    var elapsed = Duration.zero
    var latenciesNanoseconds: [Int64] = []
    /// CPU time of the client's own thread over the run, when measured.
    var clientCPU: Duration?

    var sessions: Int { latenciesNanoseconds.count }

    /// Adds what another client running at the same time measured: the run lasted as long as
    /// the longer of the two, and the CPU times add up.
    mutating func merge(_ other: LoadResult) {
        failures += other.failures
        elapsed = max(elapsed, other.elapsed)
        latenciesNanoseconds += other.latenciesNanoseconds
        if let mine = clientCPU, let theirs = other.clientCPU { clientCPU = mine + theirs } else { clientCPU = nil }
    }

    var sessionsPerSecond: Double { Double(sessions) / seconds(elapsed) }

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
