/// Chooses the handler for a session by its script name.
///
/// An unknown script is answered with a `VERBOSE` that names it and the known scripts (so the
/// mistake shows on the Asterisk console next to the dialplan line), and the session ends.
public struct AGIScriptRouter: Sendable {
    /// Handlers by script name, e.g. `"route"`.
    public var handlers: [String: any AGIScriptHandler]

    public init(handlers: [String: any AGIScriptHandler]) {
        self.handlers = handlers
    }

    /// The name under which a session is counted: its script if known, else `unknown`.
    public func metricName(for script: String) -> String {
        handlers[script] == nil ? "unknown" : script
    }

    /// Runs the handler for the session's script.
    public func run(_ session: AGISession) async throws {
        let script = session.request.name
        guard let handler = handlers[script] else {
            // The name is untrusted (percent-decoded from the URL): show a bounded, printable excerpt.
            let shown = AGIProtocolError.excerpt(script, limit: 48)
            session.logger.warning("unknown FastAGI script requested", metadata: ["script": "\(shown)"])
            let known = handlers.keys.sorted().joined(separator: ", ")
            try await session.verbose(
                "calljournal: no FastAGI script named \(shown); known scripts: \(known). Check the AGI() URL in the dialplan.",
                level: 1)
            return
        }
        try await handler.handle(session)
    }
}
