import LogKeys
public import Logging

/// Chooses the handler for a session by its script name.
///
/// An unknown script is answered with a `VERBOSE` that names it and the known scripts (so the
/// mistake shows on the Asterisk console next to the dialplan line), and the session ends.
public struct AGIScriptRouter: Sendable {
    /// How a session will run, decided once its environment has arrived.
    public enum Plan: Sendable {
        /// Send these commands one at a time on the connection's event loop, then close.
        case commands([AGICommand])
        /// Run the handler as an async session (``run(_:)``).
        case session
    }

    /// Handlers by script name, e.g. `"route"`.
    public var handlers: [String: any AGIScriptHandler] {
        didSet { plannedHandlers = Self.planned(in: handlers) }
    }
    /// The handlers that can plan a session, found once rather than cast for every session.
    private var plannedHandlers: [String: any AGIPlannedScriptHandler]

    public init(handlers: [String: any AGIScriptHandler]) {
        self.handlers = handlers
        self.plannedHandlers = Self.planned(in: handlers)
    }

    private static func planned(in handlers: [String: any AGIScriptHandler]) -> [String: any AGIPlannedScriptHandler] {
        handlers.compactMapValues { $0 as? any AGIPlannedScriptHandler }
    }

    /// The name under which a session is counted: its script if known, else `unknown`.
    public func metricName(for script: String) -> String {
        handlers[script] == nil ? "unknown" : script
    }

    /// Whether the session can run as planned commands (see ``AGIPlannedScriptHandler``) and
    /// which; unknown scripts are planned too (their one `VERBOSE`).
    public func plan(for environment: AGIEnvironment, logger: Logger) throws(AGIError) -> Plan {
        let script = environment.request.name
        if let planned = plannedHandlers[script] {
            guard let commands = try planned.plannedCommands(for: environment, logger: logger) else { return .session }
            return .commands(commands)
        }
        guard handlers[script] != nil else { return .commands([unknownScriptNotice(script, logger: logger)]) }
        return .session
    }

    /// Runs the handler for the session's script.
    public func run(_ session: AGISession) async throws {
        let script = session.request.name
        guard let handler = handlers[script] else {
            _ = try await session.execute(unknownScriptNotice(script, logger: session.logger))
            return
        }
        try await handler.handle(session)
    }

    private func unknownScriptNotice(_ script: String, logger: Logger) -> AGICommand {
        // The name is untrusted (percent-decoded from the URL): show a bounded, printable excerpt.
        let shown = AGIProtocolError.excerpt(script, limit: 48)
        logger.warning("unknown FastAGI script requested", metadata: [LogKey.script: "\(shown)"])
        let known = handlers.keys.sorted().joined(separator: ", ")
        return .verbose(
            "calljournal: no FastAGI script named \(shown); known scripts: \(known). Check the AGI() URL in the dialplan.",
            level: 1)
    }
}
