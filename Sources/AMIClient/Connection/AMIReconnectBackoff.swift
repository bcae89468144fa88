/// Capped exponential backoff with jitter for reconnecting to Asterisk.
///
/// Delays double from ``AMIClientConfiguration/Backoff/initial`` up to
/// ``AMIClientConfiguration/Backoff/maximum``, each shortened by a random part of up to
/// `jitter`. A rejected login jumps straight to the maximum, so wrong credentials cost Asterisk
/// one attempt per maximum delay, not a storm. Randomness is an input, so tests are exact.
struct AMIReconnectBackoff: Sendable {
    let policy: AMIClientConfiguration.Backoff
    /// Failed attempts since the last successful login.
    private(set) var failures = 0
    private var loginRejected = false

    init(policy: AMIClientConfiguration.Backoff) {
        self.policy = policy
    }

    /// Call when a connection that logged in has closed, with how long it was up. A session that stayed up at least
    /// the longest delay counts as recovered: the next attempt starts from the initial delay again. One dropped
    /// sooner (Asterisk or a proxy closing it right after the login) counts as a failure, so a session that keeps
    /// flapping is retried ever more slowly instead of twice a second, each time with a reconcile.
    mutating func sessionEnded(after uptime: Duration) {
        loginRejected = false
        if uptime >= policy.maximum { failures = 0 }
    }

    /// Call after Asterisk rejected the login.
    mutating func loginWasRejected() {
        loginRejected = true
    }

    /// The delay before the next attempt. `randomUnit` is uniform in 0..<1.
    mutating func nextDelay(randomUnit: Double) -> Duration {
        failures += 1
        var delay = policy.maximum
        if !loginRejected {
            let exponent = min(failures - 1, 30)
            let grown = policy.initial * (1 << exponent)
            if grown < policy.maximum { delay = grown }
        }
        let shortening = policy.jitter * min(max(randomUnit, 0), 1)
        return delay * (1 - shortening)
    }
}
