import NIOCore

/// The life of one FastAGI connection, without I/O: the environment, then either a planned
/// script's commands or an async session's, one command at a time, then the close.
///
/// ```
/// readingEnvironment ──blank line──▶ startingScript ──commands──▶ planned ──last response──▶ finished
///                                          │                         (one command per response)
///                                          └──session──▶ interactive ──task ends──▶ finished
///                                                            │ connection gone or broken
///                                                            ▼
///                                                      interactiveClosed (later commands fail at once)
/// ```
///
/// The handler (``AGIConnectionHandler``) feeds what happened (`lineReceived`, `scriptStarted`,
/// `commandRequested`, `connectionClosed`, …) and performs the returned ``Action``; it keeps
/// the time limits (``AGISessionTimer``) itself.
///
/// Asterisk reads the next command only after answering the previous one, and its reader
/// (`fgets` on a stdio stream after `poll`) can stall on a second command already buffered, so
/// commands are never pipelined. `HANGUP` lines are noted, not responses. Once Asterisk has said
/// the channel is gone (`HANGUP`, `511`, or `result=-1` for a channel command) further channel
/// commands fail at once without a round trip; commands Asterisk still runs on a dead channel
/// (`VERBOSE`, variables) still go out.
struct AGISessionStateMachine {
    /// The async session's task, waiting for its command's completion.
    typealias Promise = EventLoopPromise<AGICommandCompletion>

    /// A command written to Asterisk and not yet answered.
    struct InFlight {
        var command: AGICommand
        var decoder = AGIResponseDecoder()
    }

    enum State {
        case readingEnvironment(AGIEnvironmentDecoder)
        /// The environment is in; the handler asks the router how the session runs.
        case startingScript(AGIEnvironment)
        /// A planned script: the commands still to send, and the one in flight.
        case planned(remaining: ArraySlice<AGICommand>, inFlight: InFlight?)
        /// An async session: the command in flight and the task waiting for it.
        case interactive(inFlight: InFlight?, promise: Promise?)
        /// The async session's connection is gone or broke; every later command fails with this.
        case interactiveClosed(AGIError)
        /// Counted and closing, or closed after its task ended.
        case finished
    }

    enum Action {
        /// Nothing to do; read on.
        case none
        /// The environment arrived: end its time limit, ask the router, then report with ``scriptStarted(_:)``.
        case startScript(AGIEnvironment)
        /// Hand the session to the server's task; if it is no longer taken, report ``sessionRefused()``.
        case enqueueSession(AGIEnvironment)
        /// Write this command and give it this long to be answered.
        case send([UInt8], timeout: Duration)
        /// End the command's time limit and resume the async session's task; close the connection too when
        /// `close` (the protocol broke: nothing is left to talk about).
        case completeCommand(Promise, AGICommandCompletion, close: Bool)
        /// Count and log a session that never reached the async API, and close the connection.
        case finish(AGIError?)
        /// Close the connection (an async session ended, or its connection broke with this error).
        case close(AGIError?)
    }

    private(set) var state: State
    /// Whether Asterisk has told us that the channel hung up, `result=-1` to a channel command included.
    private(set) var channelHungUp = false
    /// Whether it said so unmistakably: a `HANGUP` line or `511`. A `result=-1` alone may also be a prompt that
    /// could not be played on a live channel (a sound file missing); Asterisk sends `HANGUP` before its next
    /// response when the channel is really gone.
    private(set) var hangupConfirmed = false
    private let commandTimeout: Duration
    private let interactiveCommandTimeout: Duration

    init(configuration: AGIServerConfiguration) {
        state = .readingEnvironment(AGIEnvironmentDecoder(limits: configuration.environmentLimits))
        commandTimeout = configuration.commandTimeout
        interactiveCommandTimeout = configuration.interactiveCommandTimeout
    }

    /// The command written and not yet answered, if any.
    var commandInFlight: AGICommand? {
        switch state {
        case .planned(_, let inFlight), .interactive(let inFlight, _): inFlight?.command
        case .readingEnvironment, .startingScript, .interactiveClosed, .finished: nil
        }
    }

    // MARK: Inputs

    /// A complete line arrived from Asterisk.
    mutating func lineReceived(_ line: String) -> Action {
        switch state {
        case .readingEnvironment(var decoder):
            // Drop the state's reference first, so that the decoder's variables are appended to
            // in place rather than copied for every line.
            state = .finished
            do {
                guard let environment = try decoder.lineReceived(line) else {
                    state = .readingEnvironment(decoder)
                    return .none
                }
                state = .startingScript(environment)
                return .startScript(environment)
            } catch {
                return .finish(.protocolViolation(error))
            }
        case .startingScript:
            preconditionFailure("a line was read while the script was being chosen; the handler chooses it before reading on")
        case .planned(let remaining, nil):
            guard line == "HANGUP" else { return protocolBroken(.malformedResponse(prefix: AGIProtocolError.excerpt(line))) }
            hangupNoticed()
            state = .planned(remaining: remaining, inFlight: nil)
            return .none
        case .planned(let remaining, var inFlight?):
            state = .finished
            switch answerReceived(line, to: &inFlight) {
            case nil:
                state = .planned(remaining: remaining, inFlight: inFlight)
                return .none
            case .success:
                return sendNextPlannedCommand(remaining)
            case .failure(let error):
                return .finish(error)
            }
        case .interactive(nil, _):
            guard line == "HANGUP" else { return protocolBroken(.malformedResponse(prefix: AGIProtocolError.excerpt(line))) }
            hangupNoticed()
            return .none
        case .interactive(var inFlight?, let promise):
            state = .finished
            let outcome = answerReceived(line, to: &inFlight)
            guard let outcome else {
                state = .interactive(inFlight: inFlight, promise: promise)
                return .none
            }
            state = .interactive(inFlight: nil, promise: nil)
            guard let promise else { preconditionFailure("an async session's command was in flight without its task") }
            if case .failure(let error) = outcome, case .protocolViolation = error {
                state = .interactiveClosed(error)
                return .completeCommand(promise, completion(outcome), close: true)
            }
            return .completeCommand(promise, completion(outcome), close: false)
        case .interactiveClosed, .finished:
            return .none
        }
    }

    /// The framer gave up on the bytes (a line over the limit).
    mutating func framingFailed(_ error: AGIProtocolError) -> Action {
        protocolBroken(error)
    }

    /// The router decided how the session runs (or failed to).
    mutating func scriptStarted(_ plan: Result<AGIScriptRouter.Plan, AGIError>) -> Action {
        guard case .startingScript(let environment) = state else {
            preconditionFailure("a script was started twice or without its environment")
        }
        switch plan {
        case .failure(let error):
            state = .finished
            return .finish(error)
        case .success(.commands(let commands)):
            return sendNextPlannedCommand(commands[...])
        case .success(.session):
            state = .interactive(inFlight: nil, promise: nil)
            return .enqueueSession(environment)
        }
    }

    /// The server stopped taking sessions between the accept and now.
    mutating func sessionRefused() -> Action {
        state = .finished
        return .finish(.shuttingDown)
    }

    /// The async session's task sends `command` and waits on `promise`.
    mutating func commandRequested(_ command: AGICommand, promise: Promise) -> Action {
        switch state {
        case .interactiveClosed(let error):
            return .completeCommand(promise, completion(.failure(error)), close: false)
        case .interactive(nil, nil):
            if channelHungUp, !command.worksOnDeadChannel {
                return .completeCommand(promise, completion(.failure(.channelHungUp)), close: false)
            }
            do {
                let bytes = try command.encoded()
                state = .interactive(inFlight: InFlight(command: command), promise: promise)
                return .send(bytes, timeout: timeout(for: command))
            } catch {
                return .completeCommand(promise, completion(.failure(.protocolViolation(error))), close: false)
            }
        case .interactive:
            preconditionFailure("an async session sent a command while another awaited its response")
        case .readingEnvironment, .startingScript, .planned, .finished:
            preconditionFailure("a command came from an async session this connection does not run (any more)")
        }
    }

    /// The async session's handler returned or threw.
    mutating func sessionEnded() -> Action {
        state = .finished
        return .close(nil)
    }

    /// The connection is gone, for `error` (a time limit, shutdown, or the peer).
    mutating func connectionClosed(_ error: AGIError) -> Action {
        switch state {
        case .readingEnvironment, .startingScript, .planned:
            state = .finished
            return .finish(error)
        case .interactive(_, let promise):
            state = .interactiveClosed(error)
            guard let promise else { return .none }
            return .completeCommand(promise, completion(.failure(error)), close: false)
        case .interactiveClosed, .finished:
            return .none
        }
    }

    // MARK: Transitions

    private mutating func sendNextPlannedCommand(_ remaining: ArraySlice<AGICommand>) -> Action {
        var remaining = remaining
        state = .finished
        guard let command = remaining.popFirst() else { return .finish(nil) }
        if channelHungUp, !command.worksOnDeadChannel { return .finish(.channelHungUp) }
        do {
            let bytes = try command.encoded()
            state = .planned(remaining: remaining, inFlight: InFlight(command: command))
            return .send(bytes, timeout: timeout(for: command))
        } catch {
            return .finish(.protocolViolation(error))
        }
    }

    /// The bytes broke the protocol: a planned session ends, an async one is closed under its task.
    private mutating func protocolBroken(_ error: AGIProtocolError) -> Action {
        switch state {
        case .readingEnvironment, .startingScript, .planned:
            state = .finished
            return .finish(.protocolViolation(error))
        case .interactive(_, let promise):
            state = .interactiveClosed(.protocolViolation(error))
            guard let promise else { return .close(.protocolViolation(error)) }
            return .completeCommand(promise, completion(.failure(.protocolViolation(error))), close: true)
        case .interactiveClosed:
            state = .interactiveClosed(.protocolViolation(error))
            return .close(.protocolViolation(error))
        case .finished:
            return .none
        }
    }

    /// Feeds a line to the command in flight: `nil` while its answer is incomplete (or only `HANGUP` came).
    private mutating func answerReceived(_ line: String, to inFlight: inout InFlight) -> Result<AGIResult, AGIError>? {
        let event: AGIResponseDecoder.Event?
        do {
            event = try inFlight.decoder.lineReceived(line)
        } catch {
            return .failure(.protocolViolation(error))
        }
        switch event {
        case nil:
            return nil
        case .hangup:
            // S13: HANGUP arrives before the response to the command in flight; keep waiting for it.
            hangupNoticed()
            return nil
        case .response(let response):
            return responseReceived(response, for: inFlight.command)
        }
    }

    private mutating func responseReceived(_ response: AGIResponse, for command: AGICommand) -> Result<AGIResult, AGIError> {
        switch response {
        case .success(let result):
            if result.isFailure, !command.worksOnDeadChannel {
                // S8: STREAM FILE on the transferer's dying channel answers `200 result=-1 endpos=320`.
                channelHungUp = true
                return .failure(.channelHungUp)
            }
            return .success(result)
        case .deadChannel:
            hangupNoticed()
            return .failure(.channelHungUp)
        case .invalidCommand(let message):
            return .failure(.commandRejected(command: command.description, response: "510 " + message))
        case .usage(let text):
            return .failure(.commandRejected(command: command.description, response: "520 " + text))
        }
    }

    private mutating func hangupNoticed() {
        channelHungUp = true
        hangupConfirmed = true
    }

    private func timeout(for command: AGICommand) -> Duration {
        command.isInteractive ? interactiveCommandTimeout : commandTimeout
    }

    private func completion(_ result: Result<AGIResult, AGIError>) -> AGICommandCompletion {
        AGICommandCompletion(result: result, channelHungUp: channelHungUp, hangupConfirmed: hangupConfirmed)
    }
}
