public import Foundation

/// Which way a call went, seen from the company.
public enum CallDirection: String, Sendable, Hashable, Codable, CaseIterable {
    /// From a trunk (the outside world) to the company.
    case inbound
    /// From an employee's endpoint out through a trunk.
    case outbound
    /// From one employee to another, never touching a trunk.
    case `internal`
}

/// Where a call stands; everything but `inProgress` is final.
public enum CallStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case inProgress = "in_progress"
    /// An employee (or, on outbound calls, the client) answered.
    case answered
    /// Rang, nobody answered before the dial timeout.
    case missed
    /// The called side was busy.
    case busy
    /// The caller gave up while it was ringing.
    case abandoned
    /// Congestion, no route, channel unavailable and other failures.
    case failed
}

/// Which side ended the conversation.
public enum CallParty: String, Sendable, Hashable, Codable, CaseIterable {
    /// The outside party (inbound caller, outbound callee) or, on internal calls, the caller.
    case client
    /// The employee's side.
    case employee
    /// Asterisk itself (dialplan `Hangup()`, timeouts).
    case system
}

/// One call: the set of channels sharing a `Linkedid` on one PBX, as the journal stores it.
///
/// The tracker fills what the AMI stream tells; the journal writer adds what needs history or the
/// directory tables (new-caller flag, department names at the time, source labels of the DID).
public struct CallRecord: Sendable, Hashable, Codable {
    /// The PBX the call happened on (the configured AMI server name).
    public var pbx: String
    /// The `Linkedid` shared by the call's channels: the `Uniqueid` of its first channel.
    public var linkedid: String
    public var direction: CallDirection
    public var status: CallStatus
    /// False for calls that never rang an employee (IVR only, voicemail, no route).
    public var reachedEmployee: Bool
    public var callerNumber: String?
    public var callerName: String?
    /// The number dialled: the DID on inbound calls, the extension on internal calls, the client's number on
    /// outbound calls.
    public var calledNumber: String?
    /// The company number the client dialled (inbound only).
    public var didNumber: String?
    /// The caller ID shown to the client on outbound calls (set in the dialplan).
    public var shownNumber: String?
    /// The number really dialled on outbound calls (from `DialString`, without the trunk part).
    public var dialedNumber: String?
    public var startedAt: Date
    /// When an employee (outbound: the client) answered.
    public var answeredAt: Date?
    public var endedAt: Date?
    /// Seconds from start until an employee answered; for unanswered calls, from start to end.
    public var waitSeconds: Double?
    /// Seconds of conversation with employees, summed over legs.
    public var talkSeconds: Double?
    /// The directory id of the employee who answered, when the endpoint belongs to a known employee.
    public var answeredEmployeeID: Int64?
    /// The extension or endpoint that answered, kept even when the employee is unknown.
    public var answeredExtension: String?
    public var recordingFile: String?
    /// The queue the caller waited in (`QueueCallerJoin` / `AgentConnect` `Queue`), nil when no queue was involved.
    public var queueName: String?
    /// Answered with at least `targetMinTalkSeconds` of talk.
    public var isTarget: Bool
    public var hungUpFirst: CallParty?
    /// Q.850 cause of the first hangup (`Hangup` event `Cause`).
    public var hangupCause: Int?
    public var hangupCauseText: String?
    /// The call's end fell into a gap in the AMI connection; times are the best estimate.
    public var endedWhileDisconnected: Bool
    /// Timestamp of the latest event that changed the record; the writer keeps the newest version.
    public var lastEventAt: Date
    /// Employee legs in the order they started.
    public var legs: [CallLeg]

    public init(pbx: String, linkedid: String, direction: CallDirection, startedAt: Date) {
        self.pbx = pbx
        self.linkedid = linkedid
        self.direction = direction
        self.status = .inProgress
        self.reachedEmployee = false
        self.startedAt = startedAt
        self.isTarget = false
        self.endedWhileDisconnected = false
        self.lastEventAt = startedAt
        self.legs = []
    }

    /// The employee the call counts for in reports: who answered first on inbound and internal calls, who placed it
    /// on outbound calls (the employee of the first leg, answered or not).
    public var attributedEmployeeID: Int64? {
        guard direction == .outbound else { return answeredEmployeeID }
        return legs.min { $0.legOrder < $1.legOrder }?.employeeID ?? answeredEmployeeID
    }

    /// The outside party's number: the caller on inbound calls, the dialled number on outbound calls, nil on internal
    /// calls. Callback tasks and the new-caller flag are keyed by it.
    public var clientNumber: String? {
        switch direction {
        case .inbound: callerNumber
        case .outbound: dialedNumber ?? calledNumber
        case .internal: nil
        }
    }
}
