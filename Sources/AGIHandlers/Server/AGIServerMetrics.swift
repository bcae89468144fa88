import Synchronization

/// Counters of the FastAGI server, read as a ``AGIServerMetricsSnapshot`` by the metrics endpoint.
///
/// Script names are bounded to the scripts the router knows plus `unknown`, so a scanner that
/// asks for random paths cannot grow the label set.
public final class AGIServerMetrics: Sendable {
    /// Why a session ended badly.
    public enum Failure: String, Sendable, CaseIterable {
        /// Bytes that are not FastAGI: garbage, an oversized environment, an overlong line.
        case protocolViolation = "protocol"
        /// A header, command or session time limit ran out.
        case timeout
        /// The connection closed under a command, or shutdown cut the session.
        case connection
        /// A handler failed for another reason (a store error, Asterisk rejecting a command).
        case handler
    }

    private let active = Atomic<Int>(0)
    private let state: Mutex<AGIServerMetricsSnapshot>

    public init() {
        state = Mutex(AGIServerMetricsSnapshot())
    }

    /// A consistent copy of every counter.
    public func snapshot() -> AGIServerMetricsSnapshot {
        var copy = state.withLock { $0 }
        copy.activeSessions = active.load(ordering: .relaxed)
        return copy
    }

    /// Takes one session slot if fewer than `limit` are in use.
    func reserveSession(limit: Int) -> Bool {
        let now = active.wrappingAdd(1, ordering: .relaxed).newValue
        if now > limit {
            active.wrappingSubtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    func releaseSession() {
        active.wrappingSubtract(1, ordering: .relaxed)
    }

    func refusedByAllowlist() {
        state.withLock { $0.refusedByAllowlist += 1 }
    }

    func refusedOverCapacity() {
        state.withLock { $0.refusedOverCapacity += 1 }
    }

    func sessionFinished(script: String, duration: Duration, failure: Failure?) {
        state.withLock { snapshot in
            snapshot.sessionsByScript[script, default: 0] += 1
            snapshot.latencyByScript[script, default: AGILatencyHistogram()].record(duration)
            if let failure { snapshot.failures[failure.rawValue, default: 0] += 1 }
        }
    }
}

/// The FastAGI server's counters at one moment.
public struct AGIServerMetricsSnapshot: Sendable, Equatable {
    /// Finished sessions per script (`route`, `postcall`, `status`, `unknown`, or `none` for
    /// connections that never sent a complete environment).
    public var sessionsByScript: [String: Int] = [:]
    /// Sessions open now.
    public var activeSessions = 0
    /// Connections refused because the client address is not allowed.
    public var refusedByAllowlist = 0
    /// Connections refused because `maximumSessions` were open.
    public var refusedOverCapacity = 0
    /// Sessions that ended badly, by ``AGIServerMetrics/Failure`` raw value.
    public var failures: [String: Int] = [:]
    /// Session durations per script, from accept to close.
    public var latencyByScript: [String: AGILatencyHistogram] = [:]
}

/// A fixed-bucket histogram of durations (Prometheus style: cumulative when exported).
public struct AGILatencyHistogram: Sendable, Equatable {
    /// Upper bounds of the buckets; the last, implicit bucket is +Inf.
    public static let bucketBounds: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
        .seconds(30), .seconds(120),
    ]
    /// Observations per bucket (not cumulative); one more entry than ``bucketBounds`` for +Inf.
    public private(set) var counts = [Int](repeating: 0, count: AGILatencyHistogram.bucketBounds.count + 1)
    /// All observations.
    public private(set) var count = 0
    /// Sum of all observations.
    public private(set) var sum = Duration.zero

    public init() {}

    mutating func record(_ duration: Duration) {
        let bucket = Self.bucketBounds.firstIndex { duration <= $0 } ?? Self.bucketBounds.count
        counts[bucket] += 1
        count += 1
        sum += duration
    }
}
