@testable import AGIHandlers
import NIOCore
import Testing

@Suite struct AGISessionTimerTests {
    private let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    @Test func headerLimitSetsTheFirstTimer() {
        var timer = AGISessionTimer(sessionLimit: .seconds(600), now: start)
        #expect(timer.phaseStarted(.header, limit: .seconds(2), now: start) == .schedule(start + .seconds(2)))
    }

    @Test func laterCommandLimitNeedsNoNewTimerAndIsCheckedWhenTheEarlierOneFires() {
        var timer = AGISessionTimer(sessionLimit: .seconds(600), now: start)
        _ = timer.phaseStarted(.header, limit: .seconds(2), now: start)
        timer.phaseEnded()
        let sent = start + .milliseconds(5)
        #expect(timer.phaseStarted(.command, limit: .seconds(10), now: sent) == .none)
        // The header timer goes off with nothing due: it is set again for the command's limit.
        #expect(timer.timerFired(now: start + .seconds(2)) == .schedule(sent + .seconds(10)))
        #expect(timer.timerFired(now: sent + .seconds(10)) == .expire(.command))
        #expect(timer.fired == .command)
    }

    @Test func answeredCommandLeavesOnlyTheSessionDeadline() {
        var timer = AGISessionTimer(sessionLimit: .seconds(600), now: start)
        _ = timer.phaseStarted(.command, limit: .seconds(10), now: start)
        timer.phaseEnded()
        #expect(timer.timerFired(now: start + .seconds(10)) == .schedule(start + .seconds(600)))
        #expect(timer.timerFired(now: start + .seconds(600)) == .expire(.session))
    }

    @Test func sessionDeadlineCutsALongerCommandLimit() {
        var timer = AGISessionTimer(sessionLimit: .seconds(60), now: start)
        #expect(timer.phaseStarted(.command, limit: .seconds(120), now: start) == .schedule(start + .seconds(60)))
        #expect(timer.timerFired(now: start + .seconds(60)) == .expire(.session))
    }

    @Test func earlierLimitReplacesALaterTimer() {
        var timer = AGISessionTimer(sessionLimit: .seconds(600), now: start)
        _ = timer.phaseStarted(.command, limit: .seconds(120), now: start)
        timer.phaseEnded()
        #expect(timer.phaseStarted(.command, limit: .seconds(10), now: start + .seconds(1)) == .schedule(start + .seconds(11)))
    }

    @Test func firstReasonStaysWhenShutdownFollows() {
        var timer = AGISessionTimer(sessionLimit: .seconds(600), now: start)
        _ = timer.phaseStarted(.header, limit: .seconds(2), now: start)
        #expect(timer.timerFired(now: start + .seconds(2)) == .expire(.header))
        timer.shutdownRequested()
        #expect(timer.fired == .header)
        #expect(timer.timerFired(now: start + .seconds(3)) == .none)
    }
}
