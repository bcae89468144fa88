import AMIModel

/// Actions sent and not yet answered, keyed by `ActionID`, with their deadlines.
///
/// Plain actions complete with their response. List actions (`CoreShowChannels`, `Status`,
/// `QueueStatus`, …) answer `Response: Success` with `EventList: start`, then one event per
/// item carrying the same `ActionID`, then an event with `EventList: Complete`; they complete
/// with the item events. `Token` is what the I/O layer needs to resume its caller (a promise);
/// keeping it generic keeps this table pure and tested without NIO.
struct AMIPendingActions<Token> {
    typealias Instant = ContinuousClock.Instant

    struct Entry {
        var token: Token
        var action: String
        var isList: Bool
        var deadline: Instant
        var items: [AMIMessage] = []
        var acknowledged = false
    }

    /// What happened to a pending action.
    struct Completion {
        var token: Token
        var result: Result<[AMIMessage], AMIError>
    }

    /// What became of an incoming event.
    enum EventOutcome {
        /// Not an answer to a pending list action: deliver it as an ordinary event.
        case notAnAnswer
        /// An item of a pending list, kept.
        case collected
        /// The event that closed a list.
        case completed(Completion)
    }

    private var entries: [String: Entry] = [:]

    var count: Int { entries.count }

    /// Adds an action; false (and nothing registered) when another action with the same `ActionID` still waits:
    /// its answer could not be told from this one's.
    @discardableResult
    mutating func register(actionID: String, action: String, isList: Bool, deadline: Instant, token: Token) -> Bool {
        guard entries[actionID] == nil else { return false }
        entries[actionID] = Entry(token: token, action: action, isList: isList, deadline: deadline)
        return true
    }

    /// Matches a response to its action. Returns nil when no action waits for it (a keepalive
    /// answer, a late answer after a timeout) or when a list action now waits for its items.
    mutating func responseReceived(_ response: AMIMessage) -> Completion? {
        guard let id = response.actionID, var entry = entries[id] else { return nil }
        if response.response?.lowercased() == "error" {
            entries[id] = nil
            let message = response["Message"] ?? "no message"
            return Completion(token: entry.token, result: .failure(.actionFailed(action: entry.action, message: message)))
        }
        guard entry.isList else {
            entries[id] = nil
            return Completion(token: entry.token, result: .success([response]))
        }
        guard response["EventList"]?.lowercased() == "start" else {
            // Not "an empty list": a caller reconciling against it would take every call for gone.
            entries[id] = nil
            return Completion(
                token: entry.token,
                result: .failure(.actionFailed(action: entry.action, message: "answered Success without a list (no EventList: start)")))
        }
        entry.acknowledged = true
        entries[id] = entry
        return nil
    }

    mutating func eventReceived(_ event: AMIMessage) -> EventOutcome {
        guard let id = event.actionID, var entry = entries[id], entry.isList else { return .notAnAnswer }
        if event["EventList"]?.lowercased() == "complete" {
            entries[id] = nil
            // An item lost on the way (a frame the decoder rejected) would pass for a channel that is gone.
            if let announced = event["ListItems"].flatMap({ Int($0) }), announced != entry.items.count {
                let message = "the list announced \(announced) items but \(entry.items.count) arrived"
                return .completed(Completion(token: entry.token, result: .failure(.actionFailed(action: entry.action, message: message))))
            }
            return .completed(Completion(token: entry.token, result: .success(entry.items)))
        }
        entry.items.append(event)
        entries[id] = entry
        return .collected
    }

    /// Removes and returns every action whose deadline has passed at `now`.
    mutating func expire(now: Instant, timeout: Duration) -> [Completion] {
        let expired = entries.filter { $0.value.deadline <= now }
        for id in expired.keys { entries[id] = nil }
        return expired.values.map {
            Completion(token: $0.token, result: .failure(.actionTimedOut(action: $0.action, after: timeout)))
        }
    }

    /// Removes and returns every pending action, failed with `error` (the connection closed).
    mutating func failAll(_ error: AMIError) -> [Completion] {
        defer { entries = [:] }
        return entries.values.map { Completion(token: $0.token, result: .failure(error)) }
    }
}

extension AMIPendingActions: Sendable where Token: Sendable {}
extension AMIPendingActions.Entry: Sendable where Token: Sendable {}
extension AMIPendingActions.Completion: Sendable where Token: Sendable {}
extension AMIPendingActions.Completion: Equatable where Token: Equatable {}
