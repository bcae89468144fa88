public import Foundation

/// How an employee leg left the call.
///
/// A transfer is recorded once, on the leg of the transferred call whose employee handed the call on; counting
/// `blind_transfer`, `attended_transfer` and `blonde_transfer` legs counts transfers.
public enum LegEnding: String, Sendable, Hashable, Codable, CaseIterable {
    case hangup
    case blindTransfer = "blind_transfer"
    /// Transferred after talking to the target (the target answered the consultation call).
    case attendedTransfer = "attended_transfer"
    /// Transferred while the target was still ringing on the consultation call (Asterisk `AttendedTransfer` with
    /// `DestType: App`).
    case blondeTransfer = "blonde_transfer"
    /// A ringing leg another employee took with call pickup.
    case pickedUp = "picked_up"
    /// The employee parked the call; whoever retrieves it gets a leg of their own.
    case parked
    /// The channel left this call for another one: the target of an attended transfer moving from the consultation
    /// call into the transferred call.
    case moved
}

/// The outcome of ringing one employee endpoint (`DialEnd` `DialStatus`, or the queue's view).
public enum LegDisposition: String, Sendable, Hashable, Codable, CaseIterable {
    case answered
    case noAnswer = "no_answer"
    case busy
    /// Ringing stopped because someone else answered or the caller gave up.
    case cancelled
    case failed
}

/// One channel of a call that rang or talked to an employee.
public struct CallLeg: Sendable, Hashable, Codable {
    /// The channel's `Uniqueid`; a leg is unique per call by it.
    public var uniqueid: String
    /// The channel name, e.g. `PJSIP/101-00000001`.
    public var channel: String
    /// The endpoint (SIP account) the channel belongs to, e.g. `101`.
    public var endpoint: String
    /// The directory id of the endpoint's employee; nil when unknown or flagged ignore-in-journal.
    public var employeeID: Int64?
    public var employeeExtension: String?
    /// 1 for the first leg of the call, in the order legs started.
    public var legOrder: Int
    public var startedAt: Date
    public var answeredAt: Date?
    public var endedAt: Date?
    public var disposition: LegDisposition?
    public var endedBy: LegEnding?
    /// For a leg through a trunk (an employee's mobile, a forwarded or transferred-to outside number): the number
    /// dialled. Nil for SIP accounts.
    public var externalNumber: String?
    /// Seconds this leg held the client (`Hold` to `Unhold`) while in conversation; not part of its talk.
    public var holdSeconds: Double?

    public init(uniqueid: String, channel: String, endpoint: String, legOrder: Int, startedAt: Date) {
        self.uniqueid = uniqueid
        self.channel = channel
        self.endpoint = endpoint
        self.legOrder = legOrder
        self.startedAt = startedAt
    }

    /// Seconds this leg talked, when it was answered and has ended: from answer to end, less time on hold.
    public var talkSeconds: Double? {
        guard let answeredAt, let endedAt else { return nil }
        return max(0, endedAt.timeIntervalSince(answeredAt) - (holdSeconds ?? 0))
    }
}
