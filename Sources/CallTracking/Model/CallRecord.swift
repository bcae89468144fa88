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
    /// Seen only in part (the daemon joined during the call, or a capture starts mid-call) and never seen answered:
    /// how it ended is not known, so it is not guessed.
    case unknown
}

/// Which side ended the conversation.
///
/// Inbound and outbound calls have a client and the company's side; internal calls have a caller and a callee.
public enum CallParty: String, Sendable, Hashable, Codable, CaseIterable {
    /// Inbound and outbound calls: the outside party (the inbound caller, the outbound callee).
    case client
    /// Inbound and outbound calls: the company's side, an employee or an external number the call was put through
    /// to (a mobile, a colleague reached by an attended transfer to an outside number).
    case employee
    /// Internal calls: the employee who placed the call.
    case caller
    /// Internal calls: the employee who was called.
    case callee
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
    /// Seconds the client spent on hold (an employee's `Hold` until `Unhold`) while the call was answered; not part
    /// of `talkSeconds`.
    public var holdSeconds: Double?
    /// The call was not seen from its beginning (the daemon joined during it, or a recording starts mid-call). Facts
    /// that were not seen are nil rather than guessed.
    public var seenInPart: Bool
    /// Set on the consultation call of an attended (or blonde) transfer: the Linkedid of the call it served. The
    /// transfer itself is recorded on that call; reports leave consultation calls out.
    public var consultationFor: String?
    /// The caller's position in the queue when they left it (`QueueCallerAbandon`), else when they joined.
    public var queuePosition: Int?
    /// The employee the `route` FastAGI script chose (`ROUTE_EMPLOYEE_ID`), whoever answered in the end.
    public var requestedEmployeeID: Int64?
    /// The department the `route` script chose (`ROUTE_DEPARTMENT`), when it routed to a department.
    public var requestedDepartment: String?
    /// What the `route` script answered first (`ROUTE_STATUS`: OK, OFFLINE, UNKNOWN, CLOSED).
    public var routeStatus: String?

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
        self.seenInPart = false
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

extension CallRecord {
    private enum CodingKeys: String, CodingKey {
        case pbx, linkedid, direction, status, reachedEmployee, callerNumber, callerName, calledNumber, didNumber
        case shownNumber, dialedNumber, startedAt, answeredAt, endedAt, waitSeconds, talkSeconds, answeredEmployeeID
        case answeredExtension, recordingFile, queueName, isTarget, hungUpFirst, hangupCause, hangupCauseText
        case endedWhileDisconnected, lastEventAt, legs, holdSeconds, seenInPart, consultationFor, queuePosition
        case requestedEmployeeID, requestedDepartment, routeStatus
    }

    /// Decodes records written by any version: spool files outlive upgrades, and fields added later
    /// (`seenInPart` and after) are absent from older ones.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            pbx: try c.decode(String.self, forKey: .pbx), linkedid: try c.decode(String.self, forKey: .linkedid),
            direction: try c.decode(CallDirection.self, forKey: .direction),
            startedAt: try c.decode(Date.self, forKey: .startedAt))
        status = try c.decode(CallStatus.self, forKey: .status)
        reachedEmployee = try c.decode(Bool.self, forKey: .reachedEmployee)
        callerNumber = try c.decodeIfPresent(String.self, forKey: .callerNumber)
        callerName = try c.decodeIfPresent(String.self, forKey: .callerName)
        calledNumber = try c.decodeIfPresent(String.self, forKey: .calledNumber)
        didNumber = try c.decodeIfPresent(String.self, forKey: .didNumber)
        shownNumber = try c.decodeIfPresent(String.self, forKey: .shownNumber)
        dialedNumber = try c.decodeIfPresent(String.self, forKey: .dialedNumber)
        answeredAt = try c.decodeIfPresent(Date.self, forKey: .answeredAt)
        endedAt = try c.decodeIfPresent(Date.self, forKey: .endedAt)
        waitSeconds = try c.decodeIfPresent(Double.self, forKey: .waitSeconds)
        talkSeconds = try c.decodeIfPresent(Double.self, forKey: .talkSeconds)
        answeredEmployeeID = try c.decodeIfPresent(Int64.self, forKey: .answeredEmployeeID)
        answeredExtension = try c.decodeIfPresent(String.self, forKey: .answeredExtension)
        recordingFile = try c.decodeIfPresent(String.self, forKey: .recordingFile)
        queueName = try c.decodeIfPresent(String.self, forKey: .queueName)
        isTarget = try c.decode(Bool.self, forKey: .isTarget)
        hungUpFirst = try c.decodeIfPresent(CallParty.self, forKey: .hungUpFirst)
        hangupCause = try c.decodeIfPresent(Int.self, forKey: .hangupCause)
        hangupCauseText = try c.decodeIfPresent(String.self, forKey: .hangupCauseText)
        endedWhileDisconnected = try c.decode(Bool.self, forKey: .endedWhileDisconnected)
        lastEventAt = try c.decode(Date.self, forKey: .lastEventAt)
        legs = try c.decode([CallLeg].self, forKey: .legs)
        holdSeconds = try c.decodeIfPresent(Double.self, forKey: .holdSeconds)
        seenInPart = try c.decodeIfPresent(Bool.self, forKey: .seenInPart) ?? false
        consultationFor = try c.decodeIfPresent(String.self, forKey: .consultationFor)
        queuePosition = try c.decodeIfPresent(Int.self, forKey: .queuePosition)
        requestedEmployeeID = try c.decodeIfPresent(Int64.self, forKey: .requestedEmployeeID)
        requestedDepartment = try c.decodeIfPresent(String.self, forKey: .requestedDepartment)
        routeStatus = try c.decodeIfPresent(String.self, forKey: .routeStatus)
    }
}
