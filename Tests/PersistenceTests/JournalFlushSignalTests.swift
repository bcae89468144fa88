@testable import Persistence
import Testing

@Suite struct JournalFlushSignalTests {
    @Test func aRingWhileNobodyWaitsEndsTheNextWaitAtOnce() async {
        let signal = JournalFlushSignal()
        signal.ring()
        let started = ContinuousClock.now
        await signal.wait(atMost: .seconds(30))
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func aWaitWithoutARingEndsAtItsTimeout() async {
        let signal = JournalFlushSignal()
        let started = ContinuousClock.now
        await signal.wait(atMost: .milliseconds(50))
        #expect(ContinuousClock.now - started >= .milliseconds(50))
    }

    @Test func aRingWakesAWaiter() async {
        let signal = JournalFlushSignal()
        let started = ContinuousClock.now
        async let waited: Void = signal.wait(atMost: .seconds(30))
        try? await Task.sleep(for: .milliseconds(20))
        signal.ring()
        await waited
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func cancellationEndsAWait() async {
        let signal = JournalFlushSignal()
        let started = ContinuousClock.now
        let waiting = Task { await signal.wait(atMost: .seconds(30)) }
        try? await Task.sleep(for: .milliseconds(20))
        waiting.cancel()
        await waiting.value
        #expect(ContinuousClock.now - started < .seconds(5))
    }
}
