import LogKeys

/// The `postcall` script: after the client hung up first, the agent keys in the call's
/// category and value (`Dial(…,F(postcall^s^1))` runs it on the agent's channel).
///
/// ```
/// AGI(agi://127.0.0.1:4573/postcall?ask=category,value&lang=ru)
/// ```
///
/// `?ask=` names the steps (default `category,value`). The category code is typed and ended
/// with `#`; an unknown code plays `invalid-code` and asks again, at most twice, then the menu
/// ends with `INVALID`. The value is digits up to ``Configuration/valueMaxDigits``. Nothing
/// typed for the first step means the agent skipped the menu (`SKIPPED`).
///
/// Sets `POSTCALL_STATUS` (`SAVED`, `SKIPPED`, `INVALID`, or `FAILED` when the store refused the
/// result), `POSTCALL_CATEGORY` (the code) and `POSTCALL_VALUE`.
///
/// Two cases record nothing:
/// - The agent hangs up mid-menu (S13): the half-typed input is dropped and the session ends.
/// - After a blind or attended transfer, `F()` also sends the transferer's own, dying channel
///   here (S8, S9: `STREAM FILE` answers `result=-1` or `511`). The transfer leaves
///   `BLINDTRANSFER`/`ATTENDEDTRANSFER` set on that channel (S8/S9 `ami.raw` VarSet), which
///   Asterisk still reads out on a dead channel, so the handler checks it first and leaves.
public struct PostCallHandler: AGIScriptHandler {
    /// The menu's limits; the defaults are the daemon's (`agi.postcall.*` in `calljournal.example.yaml`).
    public struct Configuration: Sendable, Equatable {
        /// The most digits of a category code.
        public var categoryMaxDigits: Int
        /// The most digits of a value (at most 18, which fits a 64-bit integer).
        public var valueMaxDigits: Int
        /// How long Asterisk waits for each key.
        public var digitTimeout: Duration
        /// Re-prompts after an invalid category code (or an invalid value) before giving up.
        public var categoryRetries: Int

        public init(
            categoryMaxDigits: Int = 6, valueMaxDigits: Int = 8, digitTimeout: Duration = .seconds(8),
            categoryRetries: Int = 2
        ) {
            self.categoryMaxDigits = categoryMaxDigits
            self.valueMaxDigits = min(max(valueMaxDigits, 1), 18)
            self.digitTimeout = digitTimeout
            self.categoryRetries = max(0, categoryRetries)
        }
    }

    /// How the menu ended; the raw value is `POSTCALL_STATUS`.
    public enum Outcome: String, Sendable {
        case saved = "SAVED", skipped = "SKIPPED", invalid = "INVALID", failed = "FAILED"
    }

    private let directory: any DirectorySource
    private let store: any CallAnnotationStore
    private let configuration: Configuration

    public init(directory: any DirectorySource, store: any CallAnnotationStore, configuration: Configuration = Configuration()) {
        self.directory = directory
        self.store = store
        self.configuration = configuration
    }

    public func handle(_ session: AGISession) async throws {
        let environment = session.environment
        let snapshot = await directory.current()
        let steps = Set((session.request["ask"] ?? "category,value").split(separator: ",").map(String.init))
        let prompts = PromptSet(requested: session.request["lang"], channelLanguage: environment.language)

        if let transfer = try await session.getFullVariable("${BLINDTRANSFER}${ATTENDEDTRANSFER}"), !transfer.isEmpty {
            session.logger.debug("post-call menu skipped: this channel transferred the call away")
            try await finish(session, .skipped)
            return
        }
        guard let endpoint = environment.channel.flatMap(ChannelEndpoint.init(channelName:)),
            let employee = snapshot.employee(sipAccount: endpoint.endpoint)
        else {
            try await session.verbose("calljournal postcall: no employee owns channel \(CallerInput.displayText(environment.channel ?? "?"))")
            try await finish(session, .skipped)
            return
        }
        let channelLinkedid = try await session.getFullVariable("${CHANNEL(linkedid)}")
        guard let linkedid = CallerInput.callIdentifier(channelLinkedid) ?? CallerInput.callIdentifier(session.request["linkedid"])
        else {
            try await session.verbose("calljournal postcall: the channel has no usable linkedid; nothing recorded")
            try await finish(session, .skipped)
            return
        }

        let answer: MenuAnswer
        do {
            answer = try await askMenu(session, steps: steps, prompts: prompts, snapshot: snapshot)
        } catch {
            // `result=-1` is also Asterisk's answer when it cannot play a prompt on a live channel.
            try await session.rethrowUnlessPromptFailed(error, note: "calljournal postcall: a prompt answered -1; is the channel gone?")
            session.logger.warning(
                "a post-call prompt could not be played on a live channel; are the calljournal sounds installed?",
                metadata: [LogKey.sounds: "\(prompts.directory)"])
            try await finish(session, .failed)
            throw AGIError.commandRejected(command: "GET DATA", response: "200 result=-1 on a live channel: prompt not played")
        }
        guard case .answered(let category, let value) = answer else {
            return try await finish(session, answer == .invalid ? .invalid : .skipped)
        }
        guard category != nil || value != nil else { return try await finish(session, .skipped) }

        let result = PostCallResult(
            linkedid: linkedid, uniqueid: CallerInput.callIdentifier(environment.uniqueID), employeeID: employee.id,
            categoryID: category?.id, value: value)
        do {
            try await store.savePostCallResult(result)
        } catch {
            session.logger.error("post-call result not saved", metadata: [LogKey.linkedid: "\(linkedid)", LogKey.error: "\(error)"])
            try await finish(session, .failed)
            throw error
        }
        try await finish(session, .saved, category: category, value: value)
        try await session.streamFile(prompts.file(.saved))
    }

    private enum MenuAnswer: Equatable {
        case answered(DirectoryCategory?, Int64?), skipped, invalid
    }

    /// The steps asked for, in order: the category, then the value.
    private func askMenu(_ session: AGISession, steps: Set<String>, prompts: PromptSet, snapshot: DirectorySnapshot)
        async throws(AGIError) -> MenuAnswer
    {
        var category: DirectoryCategory?
        if steps.contains("category") {
            switch try await askCategory(session, prompts: prompts, snapshot: snapshot) {
            case .chosen(let chosen): category = chosen
            case .skipped: return .skipped
            case .invalid: return .invalid
            }
        }
        var value: Int64?
        if steps.contains("value") {
            switch try await askValue(session, prompts: prompts) {
            case .typed(let typed): value = typed
            case .nothing: break
            case .invalid: return .invalid
            }
        }
        return .answered(category, value)
    }

    private enum CategoryAnswer {
        case chosen(DirectoryCategory), skipped, invalid
    }

    private func askCategory(_ session: AGISession, prompts: PromptSet, snapshot: DirectorySnapshot) async throws(AGIError)
        -> CategoryAnswer
    {
        for attempt in 0...configuration.categoryRetries {
            let typed = try await session.getData(
                prompt: prompts.file(.enterCategory),
                timeout: configuration.digitTimeout, maxDigits: configuration.categoryMaxDigits)
            if typed.digits.isEmpty, attempt == 0 { return .skipped }
            if CallerInput.isKeyedNumber(typed.digits), let code = Int(typed.digits), let category = snapshot.category(code: code) {
                return .chosen(category)
            }
            if attempt < configuration.categoryRetries { try await session.streamFile(prompts.file(.invalidCode)) }
        }
        return .invalid
    }

    private enum ValueAnswer {
        case typed(Int64), nothing, invalid
    }

    /// The value: digits only, ended with `#` (or by typing the most digits allowed). Keys other than digits, or a
    /// pause that ended the input before `#`, ask again, so a value cut short is not stored as if it were meant;
    /// nothing typed at all means no value.
    private func askValue(_ session: AGISession, prompts: PromptSet) async throws(AGIError) -> ValueAnswer {
        for _ in 0...configuration.categoryRetries {
            let typed = try await session.getData(
                prompt: prompts.file(.enterValue), timeout: configuration.digitTimeout, maxDigits: configuration.valueMaxDigits)
            if typed.digits.isEmpty { return .nothing }
            let complete = !typed.timedOut || typed.digits.count >= configuration.valueMaxDigits
            if complete, typed.digits.count <= configuration.valueMaxDigits, CallerInput.isKeyedNumber(typed.digits),
                let value = Int64(typed.digits)
            {
                return .typed(value)
            }
        }
        return .invalid
    }

    private func finish(
        _ session: AGISession, _ outcome: Outcome, category: DirectoryCategory? = nil, value: Int64? = nil
    ) async throws(AGIError) {
        try await session.setVariable("POSTCALL_STATUS", outcome.rawValue)
        try await session.setVariable("POSTCALL_CATEGORY", category.map { String($0.code) } ?? "")
        try await session.setVariable("POSTCALL_VALUE", value.map { String($0) } ?? "")
    }
}
