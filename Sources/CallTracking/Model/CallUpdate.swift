public import Foundation

/// What the journal must do about missed-call callback tasks once a call has finished.
public enum CallbackDecision: Sendable, Hashable, Codable {
    /// Nothing: internal calls, or calls that neither missed nor reached the client.
    case none
    /// An inbound call from `number` was missed (missed, busy or abandoned): open a callback task due at `deadline`,
    /// or join the open one for that number.
    case openOrJoin(number: String, missedAt: Date, deadline: Date)
    /// A conversation with `number` happened (an answered inbound call, or an outbound call the client answered):
    /// close the open task for that number with this call.
    case close(number: String, at: Date)
}

/// A change the tracker reports; the journal writer turns each into an idempotent upsert.
public enum CallUpdate: Sendable, Hashable, Codable {
    /// The first event of a new call: the journal gets a row in progress.
    case started(CallRecord)
    /// Something the journal shows changed (answered, a new leg, a transfer).
    case changed(CallRecord)
    /// Every channel of the call is gone; the record is final and the tracker forgets the call.
    case finished(CallRecord, CallbackDecision)

    /// The record carried by the update.
    public var record: CallRecord {
        switch self {
        case .started(let record), .changed(let record), .finished(let record, _): record
        }
    }
}
