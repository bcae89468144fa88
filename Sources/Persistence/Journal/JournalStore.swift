import CallTracking
import Foundation

/// Writes batches of call updates into the journal: calls, their legs and callback tasks in one transaction.
///
/// Every statement is an idempotent upsert keyed by `(pbx, linkedid)`, so writing the same batch twice — after a
/// restart, a lost COMMIT or a spool replay — leaves the journal as writing it once.
public struct JournalStore {
    public let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// Writes `batch` in one transaction. On error nothing of the batch is committed.
    public func write(_ batch: JournalBatch) throws {
        guard !batch.isEmpty else { return }
        let records = batch.records.values.sorted { ($0.pbx, $0.linkedid) < ($1.pbx, $1.linkedid) }
        try prepareStatements()
        try connection.transaction {
            try connection.queryPrepared("calljournal_upsert_calls", Self.callColumns(records))
            let legs = Self.legColumns(records)
            if !legs.isEmpty { try connection.queryPrepared("calljournal_upsert_legs", legs) }
            for item in batch.decisions { try apply(item) }
        }
    }

    /// Closes the calls of `pbx` the journal shows in progress but Asterisk no longer has (they ended while the daemon
    /// was not connected), marking them `ended_while_disconnected`; returns how many. The end is the last event the
    /// journal saw, the best estimate there is; a later real version of the call still replaces it.
    public func closeCallsEndedWhileDown(pbx: String, liveLinkedids: [String]) throws -> Int {
        try connection.query("""
            UPDATE calljournal.calls
               -- A row with no AMI facts (last_event_at = -infinity) exists only because an agent keyed in a
               -- post-call menu, which runs after an answered call.
               SET status = CASE WHEN answered_at IS NOT NULL OR last_event_at = '-infinity' THEN 'answered'
                                 ELSE 'missed' END,
                   ended_at = greatest(last_event_at, started_at),
                   ended_while_disconnected = true,
                   wait_seconds = coalesce(wait_seconds,
                                           extract(epoch FROM greatest(last_event_at, started_at) - started_at)),
                   talk_seconds = coalesce(talk_seconds, CASE WHEN answered_at IS NOT NULL
                       THEN extract(epoch FROM greatest(last_event_at, answered_at) - answered_at) END)
             WHERE pbx = $1 AND status = 'in_progress' AND NOT (linkedid = ANY ($2))
            """, pbx, liveLinkedids, operation: "close calls that ended while disconnected").affectedRows
    }

    private func apply(_ item: JournalBatch.Decision) throws {
        switch item.decision {
        case .none:
            break
        case .openOrJoin(let number, let missedAt, let deadline):
            try connection.queryPrepared("calljournal_open_callback", [
                item.call.pbx.postgresBind, JournalText.clean(number).postgresBind, missedAt.postgresBind, deadline.postgresBind,
                item.call.linkedid.postgresBind,
            ])
        case .close(let number, let at):
            try connection.queryPrepared("calljournal_close_callback", [
                item.call.pbx.postgresBind, JournalText.clean(number).postgresBind, at.postgresBind, item.call.linkedid.postgresBind,
            ])
        }
    }

    private func prepareStatements() throws {
        try connection.prepare("calljournal_upsert_calls", JournalSQL.upsertCalls, types: [])
        try connection.prepare("calljournal_upsert_legs", JournalSQL.upsertLegs, types: [])
        try connection.prepare("calljournal_open_callback", JournalSQL.openOrJoinCallbackTask,
                               types: [.text, .text, .timestamptz, .timestamptz, .text])
        try connection.prepare("calljournal_close_callback", JournalSQL.closeCallbackTask,
                               types: [.text, .text, .timestamptz, .text])
    }

    // MARK: Columns

    /// One array parameter per column, in the order of `JournalSQL.upsertCalls`.
    static func callColumns(_ records: [CallRecord]) -> [PostgresBind] {
        func column(_ value: (CallRecord) -> String?) -> PostgresBind {
            PostgresBind(type: .unknown, text: PostgresArrayText.format(records.map { value($0).map(JournalText.clean) }))
        }
        return [
            column(\.pbx), column(\.linkedid), column(\.direction.rawValue), column(\.status.rawValue),
            column { $0.reachedEmployee ? "t" : "f" }, column(\.callerNumber), column(\.callerName),
            column(\.calledNumber), column(\.didNumber), column(\.shownNumber), column(\.dialedNumber),
            column(\.clientNumber), column { timestamp($0.startedAt) }, column { $0.answeredAt.map(timestamp) },
            column { $0.endedAt.map(timestamp) }, column { $0.waitSeconds.map(seconds) },
            column { $0.talkSeconds.map(seconds) }, column { $0.answeredEmployeeID.map(String.init) },
            column(\.answeredExtension), column(\.recordingFile), column { $0.isTarget ? "t" : "f" },
            column { $0.hungUpFirst?.rawValue }, column { $0.hangupCause.map(String.init) }, column(\.hangupCauseText),
            column { $0.endedWhileDisconnected ? "t" : "f" }, column { timestamp($0.lastEventAt) }, column(\.queueName),
            column { $0.attributedEmployeeID.map(String.init) }, column { $0.holdSeconds.map(seconds) },
            column { $0.seenInPart ? "t" : "f" }, column(\.consultationFor), column { $0.queuePosition.map(String.init) },
            column { $0.requestedEmployeeID.map(String.init) }, column(\.requestedDepartment), column(\.routeStatus),
        ]
    }

    /// One array parameter per column, in the order of `JournalSQL.upsertLegs`; empty when no record has legs.
    static func legColumns(_ records: [CallRecord]) -> [PostgresBind] {
        let legs = records.flatMap { record in record.legs.map { (record, $0) } }
        guard !legs.isEmpty else { return [] }
        func column(_ value: (CallRecord, CallLeg) -> String?) -> PostgresBind {
            PostgresBind(type: .unknown, text: PostgresArrayText.format(legs.map { value($0, $1).map(JournalText.clean) }))
        }
        return [
            column { r, _ in r.pbx }, column { r, _ in r.linkedid }, column { r, _ in timestamp(r.lastEventAt) },
            column { _, l in String(l.legOrder) }, column { _, l in l.uniqueid }, column { _, l in l.channel },
            column { _, l in l.endpoint }, column { _, l in l.employeeID.map(String.init) },
            column { _, l in l.employeeExtension }, column { _, l in timestamp(l.startedAt) },
            column { _, l in l.answeredAt.map(timestamp) }, column { _, l in l.endedAt.map(timestamp) },
            column { _, l in l.disposition?.rawValue }, column { _, l in l.endedBy?.rawValue },
            column { _, l in l.externalNumber }, column { _, l in l.holdSeconds.map(seconds) },
        ]
    }
}

private func timestamp(_ date: Date) -> String {
    PostgresTimestamp.format(epochSeconds: date.timeIntervalSince1970)
}

/// Seconds with millisecond precision, as `numeric(10,3)` stores them.
private func seconds(_ value: Double) -> String {
    String(format: "%.3f", value)
}
