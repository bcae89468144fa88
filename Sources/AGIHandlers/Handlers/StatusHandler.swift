import LogKeys

/// The `status` script: the operator's feature code that turns their online flag on or off.
///
/// ```
/// exten => *55,1,AGI(agi://127.0.0.1:4573/status?set=toggle)
/// ```
///
/// `?set=` is `online`, `offline` or `toggle` (the default). The employee is found by the
/// calling channel's endpoint (`PJSIP/101-0000001a` -> SIP account `101`). The channel is
/// answered, the flag stored, and `you-are-online`/`you-are-offline` played. Sets
/// `OPERATOR_STATUS` to `ONLINE`, `OFFLINE`, `UNKNOWN` (no employee owns the endpoint),
/// `INVALID` (bad `set=`) or `FAILED` (the store refused).
///
/// `toggle` flips the flag as the in-memory directory shows it; a second press before the
/// directory has picked up the first change toggles from the old state.
public struct StatusHandler: AGIScriptHandler {
    private let directory: any DirectorySource
    private let store: any CallAnnotationStore

    public init(directory: any DirectorySource, store: any CallAnnotationStore) {
        self.directory = directory
        self.store = store
    }

    public func handle(_ session: AGISession) async throws {
        let environment = session.environment
        let requested = session.request["set"] ?? "toggle"
        guard ["online", "offline", "toggle"].contains(requested) else {
            try await session.verbose("calljournal status: set= must be online, offline or toggle")
            try await session.setVariable("OPERATOR_STATUS", "INVALID")
            return
        }
        guard let endpoint = environment.channel.flatMap(ChannelEndpoint.init(channelName:)),
            let employee = await directory.current().employee(sipAccount: endpoint.endpoint)
        else {
            try await session.verbose("calljournal status: no employee owns channel \(CallerInput.displayText(environment.channel ?? "?"))")
            try await session.setVariable("OPERATOR_STATUS", "UNKNOWN")
            return
        }
        let online = requested == "toggle" ? !employee.isOnline : requested == "online"
        try await session.answer()
        do {
            try await store.setEmployeeOnline(employeeID: employee.id, isOnline: online)
        } catch {
            session.logger.error("operator status not saved", metadata: [LogKey.employee: "\(employee.id)", LogKey.error: "\(error)"])
            try await session.setVariable("OPERATOR_STATUS", "FAILED")
            throw error
        }
        try await session.setVariable("OPERATOR_STATUS", online ? "ONLINE" : "OFFLINE")
        let prompts = PromptSet(requested: session.request["lang"], channelLanguage: environment.language)
        let prompt = prompts.file(online ? .youAreOnline : .youAreOffline)
        do {
            try await session.streamFile(prompt)
        } catch {
            // The status is saved either way; say so when the prompt, not the caller, was missing.
            try await session.rethrowUnlessPromptFailed(error, note: "calljournal status: the prompt answered -1; is the channel gone?")
            session.logger.warning(
                "an operator-status prompt could not be played on a live channel; are the calljournal sounds installed?",
                metadata: [LogKey.prompt: "\(prompt)"])
        }
    }
}
