@testable import AMIClient
import AMIModel
import Testing

@Suite struct AMIPendingActionsTests {
    let now = ContinuousClock.Instant.now

    @Test func aResponseCompletesItsActionByActionID() throws {
        var pending = AMIPendingActions<Int>()
        pending.register(actionID: "a", action: "Ping", isList: false, deadline: now + .seconds(1), token: 1)
        pending.register(actionID: "b", action: "Ping", isList: false, deadline: now + .seconds(1), token: 2)
        let answer = pending.responseReceived(AMIMessage([("Response", "Success"), ("ActionID", "b")]))
        let completion = try #require(answer)
        #expect(completion.token == 2)
        #expect(try completion.result.get().first?.actionID == "b")
        #expect(pending.count == 1)
        #expect(pending.responseReceived(AMIMessage([("Response", "Success"), ("ActionID", "zzz")])) == nil)
    }

    @Test func anErrorResponseFailsTheAction() throws {
        var pending = AMIPendingActions<Int>()
        pending.register(actionID: "a", action: "Hangup", isList: false, deadline: now + .seconds(1), token: 1)
        let answer = pending.responseReceived(
            AMIMessage([("Response", "Error"), ("ActionID", "a"), ("Message", "No such channel")])
        )
        let completion = try #require(answer)
        #expect(throws: AMIError.actionFailed(action: "Hangup", message: "No such channel")) { try completion.result.get() }
    }

    @Test func aListCollectsItsEventsUpToComplete() throws {
        var pending = AMIPendingActions<Int>()
        pending.register(actionID: "l", action: "CoreShowChannels", isList: true, deadline: now + .seconds(1), token: 7)
        #expect(pending.responseReceived(AMIMessage([("Response", "Success"), ("ActionID", "l"), ("EventList", "start")])) == nil)
        for channel in ["PJSIP/101-01", "PJSIP/trunk-02"] {
            let item = AMIMessage([("Event", "CoreShowChannel"), ("ActionID", "l"), ("Channel", channel)])
            guard case .collected = pending.eventReceived(item) else {
                Issue.record("item not collected")
                return
            }
        }
        guard case .notAnAnswer = pending.eventReceived(AMIMessage([("Event", "Newstate"), ("Channel", "x")])) else {
            Issue.record("an ordinary event was taken as a list item")
            return
        }
        let complete = AMIMessage([("Event", "CoreShowChannelsComplete"), ("ActionID", "l"), ("EventList", "Complete"), ("ListItems", "2")])
        guard case .completed(let completion) = pending.eventReceived(complete) else {
            Issue.record("the list did not complete")
            return
        }
        #expect(try completion.result.get().map { $0["Channel"] } == ["PJSIP/101-01", "PJSIP/trunk-02"])
        #expect(pending.count == 0)
    }

    @Test func deadlinesExpireAndCloseFailsTheRest() {
        var pending = AMIPendingActions<Int>()
        pending.register(actionID: "old", action: "Originate", isList: false, deadline: now + .seconds(1), token: 1)
        pending.register(actionID: "new", action: "Ping", isList: false, deadline: now + .seconds(5), token: 2)
        let expired = pending.expire(now: now + .seconds(2), timeout: .seconds(1))
        #expect(expired.map(\.token) == [1])
        #expect(throws: AMIError.actionTimedOut(action: "Originate", after: .seconds(1))) { try expired[0].result.get() }
        let failed = pending.failAll(.connectionClosed(reason: "eof"))
        #expect(failed.map(\.token) == [2])
        #expect(pending.count == 0)
    }

    /// A list answered `Success` without `EventList: start` is not an empty list: a reconcile against it would close
    /// every call in progress.
    @Test func aListAnswerWithoutItsStartIsAFailureNotAnEmptyList() throws {
        var pending = AMIPendingActions<Int>()
        pending.register(actionID: "l", action: "CoreShowChannels", isList: true, deadline: now + .seconds(1), token: 7)
        let answer = pending.responseReceived(AMIMessage([("Response", "Success"), ("ActionID", "l")]))
        let completion = try #require(answer)
        #expect(throws: AMIError.self) { try completion.result.get() }
        #expect(pending.count == 0)
    }

    /// An item lost on the way (a frame the decoder rejected) must not make its channel look gone.
    @Test func aListShorterThanItsListItemsIsAFailure() throws {
        var pending = AMIPendingActions<Int>()
        pending.register(actionID: "l", action: "CoreShowChannels", isList: true, deadline: now + .seconds(1), token: 7)
        _ = pending.responseReceived(AMIMessage([("Response", "Success"), ("ActionID", "l"), ("EventList", "start")]))
        _ = pending.eventReceived(AMIMessage([("Event", "CoreShowChannel"), ("ActionID", "l"), ("Channel", "PJSIP/101-01")]))
        let complete = AMIMessage([("Event", "CoreShowChannelsComplete"), ("ActionID", "l"), ("EventList", "Complete"), ("ListItems", "2")])
        guard case .completed(let completion) = pending.eventReceived(complete) else {
            Issue.record("the list did not complete")
            return
        }
        #expect(throws: AMIError.actionFailed(action: "CoreShowChannels", message: "the list announced 2 items but 1 arrived")) {
            try completion.result.get()
        }
    }

    @Test func aSecondActionWithAWaitingActionIDIsRefused() throws {
        var pending = AMIPendingActions<Int>()
        pending.register(actionID: "x", action: "Ping", isList: false, deadline: now + .seconds(1), token: 1)
        let second = pending.register(actionID: "x", action: "Ping", isList: false, deadline: now + .seconds(1), token: 2)
        #expect(!second, "the second action is refused")
        let answer = pending.responseReceived(AMIMessage([("Response", "Success"), ("ActionID", "x")]))
        let completion = try #require(answer)
        #expect(completion.token == 1)
        #expect(pending.count == 0)
    }
}
