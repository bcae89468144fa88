public import Logging
import NIOCore

/// One FastAGI session as a handler sees it: the environment Asterisk sent, and typed commands.
///
/// Every command waits for its response before returning; commands are never pipelined (see
/// ``AGIPlannedScriptHandler`` for why). When Asterisk reports the channel gone, channel commands
/// (`ANSWER`, `STREAM FILE`, `GET DATA`) throw ``AGIError/channelHungUp``, while `VERBOSE` and the
/// variable commands keep working, as Asterisk allows them on a dead channel.
///
/// A session belongs to the task that runs its handler and is not shared between tasks. Its
/// connection stays on an event loop (see ``AGIPlannedScriptHandler`` for sessions that need
/// no task at all).
public final class AGISession {
    /// What Asterisk sent at the start of the session.
    public let environment: AGIEnvironment
    /// A logger carrying the channel, its unique ID and the script.
    public let logger: Logger
    private let link: AGISessionLink
    private var channelHungUp = false
    private var hangupConfirmed = false

    init(environment: AGIEnvironment, link: AGISessionLink, logger: Logger) {
        self.environment = environment
        self.link = link
        self.logger = logger
    }

    /// The script and its query parameters.
    public var request: AGIScriptRequest { environment.request }

    /// Whether Asterisk has said that the channel hung up (a `HANGUP` line, `511`, or `result=-1`).
    /// As of the last response: a `HANGUP` that arrives while no command is in flight shows here
    /// only after the next command.
    public var isChannelHungUp: Bool { channelHungUp }

    /// Sends any command and returns Asterisk's `200` result.
    public func execute(_ command: AGICommand) async throws(AGIError) -> AGIResult {
        let completion = await link.execute(command)
        channelHungUp = completion.channelHungUp
        hangupConfirmed = completion.hangupConfirmed
        return try completion.result.get()
    }

    /// For the error of a command that plays a prompt: throws it again unless it was ``AGIError/channelHungUp``
    /// on a channel that is still there, that is, the prompt itself could not be played (its sound file missing or
    /// unreadable). Asterisk answers `result=-1` in both cases; when the channel is gone, it sends `HANGUP` before
    /// its next response. Unless that was already seen (or a `511`), this sends `VERBOSE note`, which Asterisk
    /// answers on a dead channel too, and looks again. Returns normally only for a prompt that failed on a live
    /// channel, for the caller to report.
    public func rethrowUnlessPromptFailed(_ error: AGIError, note: String) async throws(AGIError) {
        guard error == .channelHungUp else { throw error }
        if await channelIsGone(note: note) { throw error }
    }

    private func channelIsGone(note: String) async -> Bool {
        guard !hangupConfirmed else { return true }
        do {
            try await verbose(note)
        } catch {
            // The connection is gone too: so is the channel, as far as this session is concerned.
            return true
        }
        return hangupConfirmed
    }

    /// Answers the channel (no effect when it is already answered).
    public func answer() async throws(AGIError) {
        _ = try await execute(.answer)
    }

    /// Plays a sound file (name without extension, e.g. `calljournal/en/saved`).
    /// - Returns: the key that interrupted playback, or `nil` when it played to the end.
    @discardableResult
    public func streamFile(_ file: String, escapeDigits: String = "") async throws(AGIError) -> Character? {
        let result = try await execute(.streamFile(file, escapeDigits: escapeDigits))
        guard let code = result.integer, code > 0, let scalar = Unicode.Scalar(code) else { return nil }
        return Character(scalar)
    }

    /// Plays `prompt` and collects up to `maxDigits` DTMF digits; `#` ends input early and is not
    /// included. `timeout` is how long Asterisk waits for each key.
    /// - Returns: the digits typed (possibly empty) and whether input ended by timeout.
    public func getData(prompt: String, timeout: Duration, maxDigits: Int) async throws(AGIError) -> AGIDigits {
        let milliseconds = Int(timeout / .milliseconds(1))
        let result = try await execute(
            .getData(prompt, timeoutMilliseconds: max(1, milliseconds), maxDigits: min(max(1, maxDigits), 1024)))
        // Keypad keys (0-9, *, #, and A-D on phones that have them) are kept as typed, for the handler to judge;
        // anything else would be a protocol oddity, not input. `#` ends input and Asterisk leaves it out.
        let digits = String(result.result.filter { $0.isASCII && ($0.isNumber || "*#ABCD".contains($0)) })
        return AGIDigits(digits: digits, timedOut: result.isTimeout)
    }

    /// Sets a channel variable (`SET VARIABLE`); an empty value clears what an earlier script set.
    public func setVariable(_ name: String, _ value: String) async throws(AGIError) {
        let command: AGICommand
        do {
            command = try .setVariable(name, value)
        } catch {
            throw .protocolViolation(error)
        }
        _ = try await execute(command)
    }

    /// Reads a channel variable or function (`GET VARIABLE`); `nil` when it is not set.
    public func getVariable(_ name: String) async throws(AGIError) -> String? {
        let result = try await execute(.getVariable(name))
        return result.result == "1" ? (result.data ?? "") : nil
    }

    /// Evaluates an expression such as `${CHANNEL(linkedid)}` (`GET FULL VARIABLE`).
    public func getFullVariable(_ expression: String) async throws(AGIError) -> String? {
        let result = try await execute(.getFullVariable(expression))
        return result.result == "1" ? (result.data ?? "") : nil
    }

    /// Writes a message to the Asterisk console and log (`VERBOSE`).
    public func verbose(_ message: String, level: Int = 1) async throws(AGIError) {
        _ = try await execute(.verbose(message, level: level))
    }
}

/// DTMF input collected by ``AGISession/getData(prompt:timeout:maxDigits:)``.
public struct AGIDigits: Sendable, Equatable {
    /// The keys typed, without the terminating `#`.
    public var digits: String
    /// Whether Asterisk stopped waiting because no key came in time.
    public var timedOut: Bool

    public init(digits: String, timedOut: Bool) {
        self.digits = digits
        self.timedOut = timedOut
    }
}
