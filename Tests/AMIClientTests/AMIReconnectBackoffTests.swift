@testable import AMIClient
import Testing

@Suite struct AMIReconnectBackoffTests {
    let policy = AMIClientConfiguration.Backoff(initial: .milliseconds(500), maximum: .seconds(30), jitter: 0.2)

    @Test func delaysDoubleUpToTheCap() {
        var backoff = AMIReconnectBackoff(policy: policy)
        let delays = (0 ..< 9).map { _ in backoff.nextDelay(randomUnit: 0) }
        #expect(delays == [0.5, 1, 2, 4, 8, 16, 30, 30, 30].map { Duration.milliseconds(Int($0 * 1000)) })
    }

    @Test func jitterOnlyShortensUpToItsFraction() {
        var backoff = AMIReconnectBackoff(policy: policy)
        #expect(backoff.nextDelay(randomUnit: 0.5) == .milliseconds(450))
        #expect(backoff.nextDelay(randomUnit: 1) == .milliseconds(800))
    }

    @Test func aSessionThatStayedUpResetsTheBackoff() {
        var backoff = AMIReconnectBackoff(policy: policy)
        for _ in 0 ..< 5 { _ = backoff.nextDelay(randomUnit: 0) }
        backoff.sessionEnded(after: .seconds(30))
        #expect(backoff.nextDelay(randomUnit: 0) == .milliseconds(500))
    }

    /// Logged in, then dropped at once, again and again: the delay keeps growing.
    @Test func aSessionDroppedRightAfterLoginDoesNotResetTheBackoff() {
        var backoff = AMIReconnectBackoff(policy: policy)
        var delays: [Duration] = []
        for _ in 0 ..< 4 {
            delays.append(backoff.nextDelay(randomUnit: 0))
            backoff.sessionEnded(after: .milliseconds(200))
        }
        #expect(delays == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4)])
    }

    @Test func aLoginAfterARejectedOneEndsTheLongestDelay() {
        var backoff = AMIReconnectBackoff(policy: policy)
        backoff.loginWasRejected()
        #expect(backoff.nextDelay(randomUnit: 0) == .seconds(30))
        backoff.sessionEnded(after: .seconds(1))
        #expect(backoff.nextDelay(randomUnit: 0) < .seconds(30))
    }

    @Test func aRejectedLoginWaitsTheLongestDelay() {
        var backoff = AMIReconnectBackoff(policy: policy)
        backoff.loginWasRejected()
        #expect(backoff.nextDelay(randomUnit: 0) == .seconds(30))
        #expect(backoff.nextDelay(randomUnit: 0) == .seconds(30))
    }

    @Test func manyFailuresNeverOverflow() {
        var backoff = AMIReconnectBackoff(policy: policy)
        for _ in 0 ..< 10000 { #expect(backoff.nextDelay(randomUnit: 0) <= .seconds(30)) }
    }
}
