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

    /// Adds every update of an older batch (one that could not be written or spooled and waits in memory in front
    /// of this one). Its callback decisions come first: they happened first, and a task must be opened before a
    /// later call can close it.
    public mutating func merge(older other: JournalBatch) {
        for record in other.records.values {
            let key = CallKey(pbx: record.pbx, linkedid: record.linkedid)
            if let existing = records[key], !Self.supersedes(record, existing) { continue }
            records[key] = record
        }
        decisions = other.decisions + decisions
        updateCount += other.updateCount
    }

    /// The calls of the batch: those with callback decisions first, in the order of their first decision, then
    /// the others. Written in this order, one at a time or in parts, decisions keep their order.
    public var callsInDecisionOrder: [CallKey] {
        var seen = Set<CallKey>()
        var keys = decisions.compactMap { seen.insert($0.call).inserted ? $0.call : nil }
        keys += records.keys.filter { !seen.contains($0) }.sorted { ($0.pbx, $0.linkedid) < ($1.pbx, $1.linkedid) }
        return keys
    }

    /// The part of the batch about `calls`: their records and their decisions, in order.
    public func part(_ calls: some Sequence<CallKey>) -> JournalBatch {
        let wanted = Set(calls)
        var part = JournalBatch()
        for key in wanted { part.records[key] = records[key] }
        part.decisions = decisions.filter { wanted.contains($0.call) }
        part.updateCount = part.records.count + part.decisions.count
        return part
    }

    /// True when `candidate` should replace `current`: newer, or as new and final where `current` is not.
    static func supersedes(_ candidate: CallRecord, _ current: CallRecord) -> Bool {
        if candidate.lastEventAt != current.lastEventAt { return candidate.lastEventAt > current.lastEventAt }
        return current.status == .inProgress || candidate.status != .inProgress
    }
}
