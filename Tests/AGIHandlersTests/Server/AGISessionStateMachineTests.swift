@testable import AGIHandlers
import Testing

@Suite struct AGISessionStateMachineTests {
    private func ready() -> AGISessionStateMachine {
        var machine = AGISessionStateMachine(environmentLimits: .init())
        _ = machine.lineReceived("agi_network_script: postcall")
        guard case .environmentReceived = machine.lineReceived("") else { preconditionFailure("environment not accepted") }
        return machine
    }

    @Test func s13HangupBeforeVerboseResponseStillDeliversIt() {
        var machine = ready()
        guard case .send = machine.commandRequested(.getData("x", timeoutMilliseconds: 1, maxDigits: 8)) else {
            Issue.record("not sent"); return
        }
        #expect(machine.lineReceived("200 result=-1") == .fail(.channelHungUp))
        guard case .send = machine.commandRequested(.verbose("postcall")) else { Issue.record("verbose refused"); return }
        #expect(machine.lineReceived("HANGUP") == .readMore)
        #expect(machine.lineReceived("200 result=1") == .deliver(AGIResult(result: "1")))
        #expect(machine.channelHungUp)
    }

    @Test func s9HangupThen511EndsChannelCommandsWithoutARoundTrip() {
        var machine = ready()
        _ = machine.commandRequested(.streamFile("beep"))
        #expect(machine.lineReceived("HANGUP") == .readMore)
        #expect(machine.lineReceived("511 Command Not Permitted on a dead channel or intercept routine") == .fail(.channelHungUp))
        #expect(machine.commandRequested(.getData("x", timeoutMilliseconds: 1, maxDigits: 1)) == .fail(.channelHungUp))
        guard case .send = machine.commandRequested(try! .setVariable("POSTCALL_STATUS", "SKIPPED")) else {
            Issue.record("SET VARIABLE works on a dead channel"); return
        }
    }

    @Test func hangupBetweenCommandsIsNoted() {
        var machine = ready()
        #expect(machine.lineReceived("HANGUP") == .readMore)
        #expect(machine.channelHungUp)
        #expect(machine.commandRequested(.answer) == .fail(.channelHungUp))
    }

    @Test func unsolicitedResponseIsAProtocolViolation() {
        var machine = ready()
        guard case .fail(.protocolViolation) = machine.lineReceived("200 result=1") else {
            Issue.record("accepted a response nobody asked for"); return
        }
        #expect(machine.commandRequested(.answer) == .fail(.connectionClosed))
    }

    @Test func rejectedCommandsReportAsteriskText() {
        var machine = ready()
        _ = machine.commandRequested(.answer)
        #expect(machine.lineReceived("510 Invalid or unknown command") == .fail(.commandRejected(command: "ANSWER", response: "510 Invalid or unknown command")))
        _ = machine.commandRequested(.verbose("x"))
        #expect(machine.lineReceived("520-Invalid command syntax.  Proper usage follows:") == .readMore)
        #expect(machine.lineReceived(" Usage: VERBOSE <message> <level>") == .readMore)
        #expect(machine.lineReceived("520 End of proper usage.") == .fail(.commandRejected(command: "VERBOSE", response: "520  Usage: VERBOSE <message> <level>")))
    }

    @Test func unsafeArgumentsAreNeverSent() {
        var machine = ready()
        guard case .fail(.protocolViolation) = machine.commandRequested(.verbose("a\nHANGUP")) else {
            Issue.record("sent a line break"); return
        }
        guard case .send = machine.commandRequested(.verbose("ok")) else { Issue.record("state broken"); return }
    }
}
