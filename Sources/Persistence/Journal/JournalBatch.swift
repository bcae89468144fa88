public import CallTracking

/// A call's key in the journal: unique per PBX.
public struct CallKey: Sendable, Hashable, Codable {
    public var pbx: String
    public var linkedid: String

    public init(pbx: String, linkedid: String) {
        self.pbx = pbx
        self.linkedid = linkedid
    }
}

/// Call updates gathered for one transaction: the newest record of each call, and the callback decisions of the
/// calls that finished, in the order they finished.
///
/// Coalescing is what makes batching pay: a call that starts, is answered and ends within one flush interval is
/// written once, not three times.
public struct JournalBatch: Sendable, Codable {
    /// Newest record per call, by `lastEventAt` (a final record wins over an in-progress one of the same time).
    public private(set) var records: [CallKey: CallRecord] = [:]
    /// Callback decisions with the call that made them, in order.
    public private(set) var decisions: [Decision] = []
    /// How many updates were added (before coalescing).
    public private(set) var updateCount = 0

    public struct Decision: Sendable, Codable, Hashable {
        public var call: CallKey
        public var decision: CallbackDecision
    }

    public init() {}

    public init(_ updates: some Sequence<CallUpdate>) {
        for update in updates { add(update) }
    }

    public var isEmpty: Bool { updateCount == 0 }

    public mutating func add(_ update: CallUpdate) {
        updateCount += 1
        let record = update.record
        let key = CallKey(pbx: record.pbx, linkedid: record.linkedid)
        if let existing = records[key], !Self.supersedes(record, existing) {
            // An older version arrived late: keep the newer one.
        } else {
            records[key] = record
        }
        if case .finished(_, let decision) = update, decision != .none {
            decisions.append(Decision(call: key, decision: decision))
        }
    }

    /// Adds every update of another batch (used when a failed batch is merged into the next one).
    public mutating func merge(_ other: JournalBatch) {
        for record in other.records.values {
            let key = CallKey(pbx: record.pbx, linkedid: record.linkedid)
            if let existing = records[key], !Self.supersedes(record, existing) { continue }
            records[key] = record
        }
        decisions.append(contentsOf: other.decisions)
        updateCount += other.updateCount
    }

    /// True when `candidate` should replace `current`: newer, or as new and final where `current` is not.
    static func supersedes(_ candidate: CallRecord, _ current: CallRecord) -> Bool {
        if candidate.lastEventAt != current.lastEventAt { return candidate.lastEventAt > current.lastEventAt }
        return current.status == .inProgress || candidate.status != .inProgress
    }
}
