@testable import AGIHandlers
import NIOCore
import NIOEmbedded
import Testing

/// The machine as an async session sees it: a command is sent or fails at once, and a line
/// reads on or answers the command in flight.
private final class AsyncSessionDriver {
    enum Sent: Equatable {
        case send([UInt8])
        case fail(AGIError)
    }

    enum Line: Equatable {
        case readMore
        case deliver(AGIResult)
        case fail(AGIError)
    }

    private(set) var machine: AGISessionStateMachine
    private let loop = EmbeddedEventLoop()
    private var promises: [AGISessionStateMachine.Promise] = []

    init() {
        machine = AGISessionStateMachine(configuration: AGIServerConfiguration())
        _ = machine.lineReceived("agi_network_script: postcall")
        guard case .startScript = machine.lineReceived("") else { preconditionFailure("environment not accepted") }
        guard case .enqueueSession = machine.scriptStarted(.success(.session)) else { preconditionFailure("not an async session") }
    }

    deinit {
        // A promise still in flight when the test ends is answered, as the connection's end would.
        for promise in promises { promise.succeed(AGICommandCompletion(result: .failure(.connectionClosed), channelHungUp: false)) }
    }

    var channelHungUp: Bool { machine.channelHungUp }

    func commandRequested(_ command: AGICommand) -> Sent {
        let promise = loop.makePromise(of: AGICommandCompletion.self)
        promises.append(promise)
        switch machine.commandRequested(command, promise: promise) {
        case .send(let bytes, _): return .send(bytes)
        case .completeCommand(_, let completion, _): return outcome(completion)
        default: preconditionFailure("a command neither sent nor answered")
        }
    }

    func lineReceived(_ line: String) -> Line {
        switch machine.lineReceived(line) {
        case .none: return .readMore
        case .completeCommand(_, let completion, _):
            switch completion.result {
            case .success(let result): return .deliver(result)
            case .failure(let error): return .fail(error)
            }
        case .close(let error?): return .fail(error)
        default: preconditionFailure("a line neither read nor answered")
        }
    }

    private func outcome(_ completion: AGICommandCompletion) -> Sent {
        switch completion.result {
        case .success: preconditionFailure("answered without a round trip")
        case .failure(let error): return .fail(error)
        }
    }
}

@Suite struct AGISessionStateMachineTests {
    private func ready() -> AsyncSessionDriver {
        AsyncSessionDriver()
    }

    @Test func s13HangupBeforeVerboseResponseStillDeliversIt() {
        let machine = ready()
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
        let machine = ready()
        _ = machine.commandRequested(.streamFile("beep"))
        #expect(machine.lineReceived("HANGUP") == .readMore)
        #expect(machine.lineReceived("511 Command Not Permitted on a dead channel or intercept routine") == .fail(.channelHungUp))
        #expect(machine.commandRequested(.getData("x", timeoutMilliseconds: 1, maxDigits: 1)) == .fail(.channelHungUp))
        guard case .send = machine.commandRequested(try! .setVariable("POSTCALL_STATUS", "SKIPPED")) else {
            Issue.record("SET VARIABLE works on a dead channel"); return
        }
    }

    @Test func hangupBetweenCommandsIsNoted() {
        let machine = ready()
        #expect(machine.lineReceived("HANGUP") == .readMore)
        #expect(machine.channelHungUp)
        #expect(machine.commandRequested(.answer) == .fail(.channelHungUp))
    }

    @Test func unsolicitedResponseIsAProtocolViolation() {
        let machine = ready()
        guard case .fail(.protocolViolation) = machine.lineReceived("200 result=1") else {
            Issue.record("accepted a response nobody asked for"); return
        }
        // Later commands fail at once with the reason the connection broke.
        guard case .fail(.protocolViolation) = machine.commandRequested(.answer) else {
            Issue.record("a command went out on a broken connection"); return
        }
    }

    @Test func rejectedCommandsReportAsteriskText() {
        let machine = ready()
        _ = machine.commandRequested(.answer)
        #expect(machine.lineReceived("510 Invalid or unknown command") == .fail(.commandRejected(command: "ANSWER", response: "510 Invalid or unknown command")))
        _ = machine.commandRequested(.verbose("x"))
        #expect(machine.lineReceived("520-Invalid command syntax.  Proper usage follows:") == .readMore)
        #expect(machine.lineReceived(" Usage: VERBOSE <message> <level>") == .readMore)
        #expect(machine.lineReceived("520 End of proper usage.") == .fail(.commandRejected(command: "VERBOSE", response: "520  Usage: VERBOSE <message> <level>")))
    }

    @Test func unsafeArgumentsAreNeverSent() {
        let machine = ready()
        guard case .fail(.protocolViolation) = machine.commandRequested(.verbose("a\nHANGUP")) else {
            Issue.record("sent a line break"); return
        }
        guard case .send = machine.commandRequested(.verbose("ok")) else { Issue.record("state broken"); return }
    }

    @Test func plannedScriptSendsOneCommandPerResponseThenFinishes() throws {
        var machine = AGISessionStateMachine(configuration: AGIServerConfiguration())
        _ = machine.lineReceived("agi_network_script: route")
        guard case .startScript = machine.lineReceived("") else { Issue.record("environment not accepted"); return }
        let commands = [try AGICommand.setVariable("ROUTE_STATUS", "OK"), AGICommand.verbose("done")]
        guard case .send(let first, _) = machine.scriptStarted(.success(.commands(commands))) else {
            Issue.record("first command not sent"); return
        }
        #expect(first == Array("SET VARIABLE ROUTE_STATUS \"OK\"\n".utf8))
        guard case .send = machine.lineReceived("200 result=1") else { Issue.record("second command not sent"); return }
        guard case .finish(nil) = machine.lineReceived("200 result=1") else { Issue.record("not finished"); return }
        guard case .none = machine.connectionClosed(.connectionClosed) else { Issue.record("finished twice"); return }
    }

    @Test func connectionGoneMidCommandAnswersTheWaitingSessionAndEveryLaterCommand() {
        let driver = ready()
        var machine = driver.machine
        let loop = EmbeddedEventLoop()
        let promise = loop.makePromise(of: AGICommandCompletion.self)
        _ = machine.commandRequested(.streamFile("beep"), promise: promise)
        guard case .completeCommand(_, let completion, close: false) = machine.connectionClosed(.commandTimedOut(command: "STREAM FILE", after: .seconds(1))) else {
            Issue.record("the waiting session was not answered"); return
        }
        #expect(completion.result == .failure(.commandTimedOut(command: "STREAM FILE", after: .seconds(1))))
        promise.succeed(completion)
        let later = loop.makePromise(of: AGICommandCompletion.self)
        guard case .completeCommand(_, let refused, _) = machine.commandRequested(.answer, promise: later) else {
            Issue.record("a command went out after the connection ended"); return
        }
        #expect(refused.result == .failure(.commandTimedOut(command: "STREAM FILE", after: .seconds(1))))
        later.succeed(refused)
    }
}
