public import Foundation

/// How an employee leg left the call.
public enum LegEnding: String, Sendable, Hashable, Codable, CaseIterable {
    case hangup
    case blindTransfer = "blind_transfer"
    case attendedTransfer = "attended_transfer"
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

    public init(uniqueid: String, channel: String, endpoint: String, legOrder: Int, startedAt: Date) {
        self.uniqueid = uniqueid
        self.channel = channel
        self.endpoint = endpoint
        self.legOrder = legOrder
        self.startedAt = startedAt
    }

    /// Seconds this leg talked, when it was answered and has ended.
    public var talkSeconds: Double? {
        guard let answeredAt, let endedAt else { return nil }
        return max(0, endedAt.timeIntervalSince(answeredAt))
    }
}
