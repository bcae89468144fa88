@testable import AMIClient
import AMIModel
import NIOCore
import NIOEmbedded
import Testing

@Suite struct AMIConnectionStateMachineTests {
    typealias Machine = AMIConnectionStateMachine
    let start = ContinuousClock.Instant.now
    let credentials = Machine.Credentials(username: "lab", secret: "labsecret", useMD5Challenge: true, eventMask: "call,cdr")

    func machine(md5: Bool = true) -> Machine {
        var credentials = credentials
        credentials.useMD5Challenge = md5
        return Machine(credentials: credentials, actionTimeout: .seconds(10), pingInterval: .seconds(15), now: start)
    }

    func response(_ id: String, _ status: String, _ extra: [(key: String, value: String)] = []) -> AMIMessage {
        AMIMessage([("Response", status), ("ActionID", id)] + extra)
    }

    @Test func md5LoginAnswersTheChallengeWithTheHashedSecret() throws {
        var machine = machine()
        guard case .send(let challenge) = machine.bannerReceived("Asterisk Call Manager/11.0.0") else {
            Issue.record("no Challenge after the banner")
            return
        }
        #expect(challenge.name == "Challenge")
        #expect(challenge["AuthType"] == "MD5")
        let action = machine.responseReceived(response(Machine.challengeActionID, "Success", [("Challenge", "840427339")]))
        guard case .send(let login) = action else {
            Issue.record("no Login after the challenge: \(action)")
            return
        }
        #expect(login["Key"] == "d71bbcb1d7963d5ccae09d156ce0b089")
        #expect(login["Secret"] == nil)
        #expect(login["Events"] == "call,cdr")
        #expect(machine.responseReceived(response(Machine.loginActionID, "Success")) == .announceReady(serverVersion: "11.0.0"))
        #expect(machine.isReady)
    }

    /// AMI 1.x (Asterisk 11) and AMI 2.0-2.7 (Asterisk 12, 13.0-13.4) carry no Linkedid: refused before login, with
    /// the version named.
    @Test func anAMIWithoutLinkedidIsRefusedAtTheBanner() {
        for version in ["1.3", "1.1", "2.0.0", "2.7.0"] {
            var machine = machine()
            #expect(machine.bannerReceived("Asterisk Call Manager/\(version)") == .close(.unsupportedVersion(version)))
            #expect(AMIError.unsupportedVersion(version).description.contains("Asterisk Call Manager/\(version)"))
        }
        #expect(AMIError.unsupportedVersion("1.3").description.contains("Asterisk 11 or older"))
        for version in ["2.8.0", "2.10.6", "5.0.5", "11.0.0", "12.0.0"] {
            var machine = machine()
            guard case .send = machine.bannerReceived("Asterisk Call Manager/\(version)") else {
                Issue.record("AMI \(version) should be accepted")
                continue
            }
        }
    }

    @Test func plainLoginSendsTheSecretDirectly() {
        var machine = machine(md5: false)
        guard case .send(let login) = machine.bannerReceived("Asterisk Call Manager/6.0.0") else {
            Issue.record("no Login after the banner")
            return
        }
        #expect(login.name == "Login")
        #expect(login["Secret"] == "labsecret")
        #expect(machine.responseReceived(response(Machine.loginActionID, "Success")) == .announceReady(serverVersion: "6.0.0"))
    }

    @Test func aRejectedLoginClosesWithAuthenticationFailedAndNoSecret() {
        var machine = machine(md5: false)
        _ = machine.bannerReceived("Asterisk Call Manager/11.0.0")
        let action = machine.responseReceived(
            response(Machine.loginActionID, "Error", [("Message", "Authentication failed")])
        )
        #expect(action == .close(.authenticationFailed(username: "lab")))
        #expect(!AMIError.authenticationFailed(username: "lab").description.contains("labsecret"))
        #expect(machine.connectionClosed(fallback: .connectionClosed(reason: "eof")) == .authenticationFailed(username: "lab"))
    }

    @Test func responsesForOtherActionsDoNotAdvanceTheLogin() {
        var machine = machine(md5: false)
        _ = machine.bannerReceived("Asterisk Call Manager/11.0.0")
        #expect(machine.responseReceived(response("someone-else", "Success")) == .none)
        #expect(!machine.isReady)
    }

    @Test func aResponseBeforeTheBannerIsAProtocolViolation() {
        var machine = machine()
        guard case .close(.protocolViolation) = machine.responseReceived(response("x", "Success")) else {
            Issue.record("expected a protocol violation")
            return
        }
    }

    @Test func aChallengeErrorCloses() {
        var machine = machine()
        _ = machine.bannerReceived("Asterisk Call Manager/11.0.0")
        let action = machine.responseReceived(response(Machine.challengeActionID, "Error", [("Message", "Must specify AuthType")]))
        #expect(action == .close(.actionFailed(action: "Challenge", message: "Must specify AuthType")))
    }

    @Test func theHandshakeMustFinishWithinTheActionTimeout() {
        var machine = machine()
        #expect(machine.timerFired(now: start + .seconds(9)) == .none)
        _ = machine.bannerReceived("Asterisk Call Manager/11.0.0")
        #expect(machine.timerFired(now: start + .seconds(10)) == .close(.handshakeTimedOut(after: .seconds(10))))
    }

    func readyMachine() -> Machine {
        var machine = machine(md5: false)
        _ = machine.bannerReceived("Asterisk Call Manager/11.0.0")
        _ = machine.responseReceived(response(Machine.loginActionID, "Success"))
        return machine
    }

    @Test func aSilentPeerIsPingedThenDeclaredDead() {
        var machine = readyMachine()
        let t0 = start + .seconds(1)
        #expect(machine.timerFired(now: t0) == .none)  // folds the login's activity in
        #expect(machine.timerFired(now: t0 + .seconds(14)) == .none)
        #expect(machine.timerFired(now: t0 + .seconds(15)) == .send(.ping()))
        #expect(machine.timerFired(now: t0 + .seconds(20)) == .none)
        #expect(machine.timerFired(now: t0 + .seconds(25)) == .close(.keepaliveTimedOut(after: .seconds(10))))
    }

    @Test func trafficKeepsTheConnectionAliveWithoutPings() {
        var machine = readyMachine()
        for second in stride(from: 5, through: 120, by: 5) {
            machine.messageReceived()
            #expect(machine.timerFired(now: start + .seconds(second)) == .none)
        }
    }

    @Test func anAnsweredPingClearsTheDeadline() {
        var machine = readyMachine()
        _ = machine.timerFired(now: start)
        #expect(machine.timerFired(now: start + .seconds(15)) == .send(.ping()))
        machine.messageReceived()
        #expect(machine.timerFired(now: start + .seconds(26)) == .none)
        #expect(machine.timerFired(now: start + .seconds(40)) == .none)
        #expect(machine.timerFired(now: start + .seconds(41)) == .send(.ping()))
    }

    @Test func aCloseByThePeerIsReportedWithTheFallbackReason() {
        var machine = readyMachine()
        #expect(machine.connectionClosed(fallback: .connectionClosed(reason: "eof")) == .connectionClosed(reason: "eof"))
        #expect(machine.timerFired(now: start + .seconds(100)) == .none)
    }

    @Test func aReadyConnectionRoutesResponsesListItemsAndEvents() throws {
        var machine = readyMachine()
        let loop = EmbeddedEventLoop()
        let status = loop.makePromise(of: [AMIMessage].self)
        let list = loop.makePromise(of: [AMIMessage].self)
        defer {
            status.succeed([])
            list.succeed([])
        }
        guard case .write = machine.actionRequested(AMIAction("Status", actionID: "s"), isList: false, promise: status, now: start) else {
            Issue.record("the action was not written"); return
        }
        guard case .write = machine.actionRequested(AMIAction("CoreShowChannels", actionID: "l"), isList: true, promise: list, now: start) else {
            Issue.record("the list action was not written"); return
        }
        #expect(machine.actionRequested(AMIAction("Ping", actionID: "l"), isList: false, promise: status, now: start)
            == .fail(.actionFailed(action: "Ping", message: "ActionID l is already waiting for an answer")))

        let answer = response("s", "Success")
        #expect(machine.messageReceived(answer) == .completeAction(.init(token: status, result: .success([answer]))))
        #expect(machine.messageReceived(response("l", "Success", [("EventList", "start")])) == .none)
        let item = AMIMessage([("Event", "CoreShowChannel"), ("ActionID", "l"), ("Channel", "PJSIP/101-01")])
        #expect(machine.messageReceived(item) == .none)
        let newchannel = AMIMessage([("Event", "Newchannel"), ("Channel", "PJSIP/102-02")])
        #expect(machine.messageReceived(newchannel) == .deliverEvent(newchannel, name: "Newchannel"))
        let complete = AMIMessage([("Event", "CoreShowChannelsComplete"), ("ActionID", "l"), ("EventList", "Complete"), ("ListItems", "1")])
        #expect(machine.messageReceived(complete) == .listCompleted(actionID: "l", .init(token: list, result: .success([item]))))
    }

    @Test func actionsAreRefusedBeforeLoginAndFailedWhenTheConnectionCloses() {
        var machine = machine(md5: false)
        let loop = EmbeddedEventLoop()
        let promise = loop.makePromise(of: [AMIMessage].self)
        defer { promise.succeed([]) }
        #expect(machine.actionRequested(AMIAction("Status"), isList: false, promise: promise, now: start) == .fail(.notConnected))
        machine = readyMachine()
        _ = machine.actionRequested(AMIAction("Status"), isList: false, promise: promise, now: start)
        let closed = machine.channelInactive(fallback: .connectionClosed(reason: "eof"))
        #expect(closed.reason == .connectionClosed(reason: "eof"))
        #expect(closed.actions == [.completeAction(.init(token: promise, result: .failure(.connectionClosed(reason: "eof"))))])
    }

    @Test func anUnansweredActionTimesOutAtItsDeadline() {
        var machine = readyMachine()
        let loop = EmbeddedEventLoop()
        let promise = loop.makePromise(of: [AMIMessage].self)
        defer { promise.succeed([]) }
        _ = machine.actionRequested(AMIAction("Status"), isList: false, promise: promise, now: start)
        #expect(machine.actionsExpired(now: start + .seconds(9)).isEmpty)
        #expect(machine.actionsExpired(now: start + .seconds(10)) == [
            .timeOutAction(action: "Status", .init(token: promise, result: .failure(.actionTimedOut(action: "Status", after: .seconds(10))))),
        ])
    }
}
