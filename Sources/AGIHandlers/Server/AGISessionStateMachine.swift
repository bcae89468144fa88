/// The life of one FastAGI session, without I/O: environment, then one command at a time.
///
/// ```
/// readingEnvironment ──blank line──▶ idle ──commandRequested──▶ awaitingResponse ──response──▶ idle
///                                     ▲                                     │
///                                     └──────────── HANGUP lines ───────────┘ (noted, not a response)
/// ```
///
/// Asterisk reads the next command only after answering the previous one, and its reader
/// (`fgets` on a stdio stream after `poll`) can stall on a second command already buffered, so
/// commands are never pipelined. Once Asterisk has said the channel is gone (`HANGUP`, `511`, or
/// `result=-1` for a channel command) further channel commands fail at once without a round
/// trip; commands Asterisk still runs on a dead channel (`VERBOSE`, variables) still go out.
struct AGISessionStateMachine {
    enum State {
        case readingEnvironment(AGIEnvironmentDecoder)
        case idle
        case awaitingResponse(AGICommand, AGIResponseDecoder)
        case failed
    }

    enum SendAction: Equatable {
        case send([UInt8])
        case fail(AGIError)
    }

    enum LineAction: Equatable {
        case readMore
        case environmentReceived(AGIEnvironment)
        case deliver(AGIResult)
        case fail(AGIError)
    }

    private(set) var state: State
    /// Whether Asterisk has told us that the channel hung up, `result=-1` to a channel command included.
    private(set) var channelHungUp = false
    /// Whether it said so unmistakably: a `HANGUP` line or `511`. A `result=-1` alone may also be a prompt that
    /// could not be played on a live channel (a sound file missing); Asterisk sends `HANGUP` before its next
    /// response when the channel is really gone.
    private(set) var hangupConfirmed = false

    init(environmentLimits: AGIEnvironmentDecoder.Limits) {
        state = .readingEnvironment(AGIEnvironmentDecoder(limits: environmentLimits))
    }

    /// The handler wants to send `command`.
    mutating func commandRequested(_ command: AGICommand) -> SendAction {
        switch state {
        case .idle:
            if channelHungUp, !command.worksOnDeadChannel { return .fail(.channelHungUp) }
            do {
                let bytes = try command.encoded()
                state = .awaitingResponse(command, AGIResponseDecoder())
                return .send(bytes)
            } catch {
                return .fail(.protocolViolation(error))
            }
        case .failed:
            return .fail(.connectionClosed)
        case .readingEnvironment:
            preconditionFailure("a command was requested before the environment was read")
        case .awaitingResponse:
            preconditionFailure("a command was requested while another awaited its response; AGI is one command at a time")
        }
    }

    /// A complete line arrived from Asterisk.
    mutating func lineReceived(_ line: String) -> LineAction {
        switch state {
        case .readingEnvironment(var decoder):
            // Drop the state's reference first, so that the decoder's variables are appended to
            // in place rather than copied for every line.
            state = .failed
            do {
                guard let environment = try decoder.lineReceived(line) else {
                    state = .readingEnvironment(decoder)
                    return .readMore
                }
                state = .idle
                return .environmentReceived(environment)
            } catch {
                state = .failed
                return .fail(.protocolViolation(error))
            }
        case .idle:
            // Only HANGUP may arrive unasked: Asterisk writes it as soon as it notices the hangup.
            if line == "HANGUP" {
                channelHungUp = true
                hangupConfirmed = true
                return .readMore
            }
            state = .failed
            return .fail(.protocolViolation(.malformedResponse(prefix: AGIProtocolError.excerpt(line))))
        case .awaitingResponse(let command, var decoder):
            state = .failed
            let event: AGIResponseDecoder.Event?
            do {
                event = try decoder.lineReceived(line)
            } catch {
                state = .failed
                return .fail(.protocolViolation(error))
            }
            switch event {
            case nil:
                state = .awaitingResponse(command, decoder)
                return .readMore
            case .hangup:
                // S13: HANGUP arrives before the response to the command in flight; keep waiting for it.
                channelHungUp = true
                hangupConfirmed = true
                state = .awaitingResponse(command, decoder)
                return .readMore
            case .response(let response):
                state = .idle
                return responseReceived(response, for: command)
            }
        case .failed:
            return .fail(.connectionClosed)
        }
    }

    /// The connection ended (or was closed by a time limit).
    mutating func connectionClosed() {
        state = .failed
    }

    private mutating func responseReceived(_ response: AGIResponse, for command: AGICommand) -> LineAction {
        switch response {
        case .success(let result):
            if result.isFailure, !command.worksOnDeadChannel {
                // S8: STREAM FILE on the transferer's dying channel answers `200 result=-1 endpos=320`.
                channelHungUp = true
                return .fail(.channelHungUp)
            }
            return .deliver(result)
        case .deadChannel:
            channelHungUp = true
            hangupConfirmed = true
            return .fail(.channelHungUp)
        case .invalidCommand(let message):
            return .fail(.commandRejected(command: command.description, response: "510 " + message))
        case .usage(let text):
            return .fail(.commandRejected(command: command.description, response: "520 " + text))
        }
    }
}
