import Foundation

/// One call in progress: the journal record being built plus what is needed to finish it.
///
/// A call is the set of channels sharing a Linkedid. It ends when its last channel hangs up or moves to another call
/// (attended transfer re-links the target to the caller's call, trace S9).
struct TrackedCall: Sendable {
    /// What the originating channel tells about the caller and the number dialled.
    struct CallerInfo: Sendable {
        var number: String?
        var name: String?
        var exten: String?
    }

    /// The outcomes of dials that did not answer, to tell missed, busy, abandoned and failed calls apart.
    struct DialOutcomes: OptionSet, Sendable {
        let rawValue: UInt8
        static let noAnswer = DialOutcomes(rawValue: 1)
        static let busy = DialOutcomes(rawValue: 2)
        static let cancelled = DialOutcomes(rawValue: 4)
        static let failed = DialOutcomes(rawValue: 8)

        /// `DialEnd` `DialStatus` values other than `ANSWER`.
        init?(dialStatus: String) {
            switch dialStatus {
            case "NOANSWER": self = .noAnswer
            case "BUSY": self = .busy
            case "CANCEL": self = .cancelled
            case "CONGESTION", "CHANUNAVAIL", "INVALIDARGS": self = .failed
            default: return nil
            }
        }

        init(rawValue: UInt8) { self.rawValue = rawValue }
    }

    var record: CallRecord
    /// Uniqueids of the channels in the call now, in the order they joined.
    var channelIDs: [String] = []
    var originatorRole: TrackedChannel.Role?
    var hasTrunk = false
    var originatorExten: String?
    var dialOutcomes: DialOutcomes = []
    /// The channel whose hangup decided `hungUpFirst`; its `Hangup` cause becomes the call's.
    var firstHangupChannel: String?
    var originatorCause: (code: Int?, text: String?)
    /// `Disposition` of the originating channel's first Cdr, used only when the events left the outcome open.
    var cdrDisposition: String?
    var recordingFromMixMonitor = false
    /// When the conversation part of the latest departed channel ended.
    var lastDepartureAt: Date?

    init(linkedid: String, pbx: String, startedAt: Date) {
        record = CallRecord(pbx: pbx, linkedid: linkedid, direction: .internal, startedAt: startedAt)
    }

    func legIndex(_ uniqueid: String) -> Int? {
        record.legs.firstIndex { $0.uniqueid == uniqueid }
    }

    /// Adds a channel to the call; employee channels get a leg. A channel that is already up when it joins (re-linked
    /// by a transfer, or adopted after a reconnect) is answered at once.
    mutating func join(_ channel: TrackedChannel, at time: Date, caller: CallerInfo?) {
        channelIDs.append(channel.uniqueid)
        if channel.role == .trunk { hasTrunk = true }
        if channel.uniqueid == record.linkedid {
            originatorRole = channel.role
            if time < record.startedAt { record.startedAt = time }
            if let caller {
                record.callerNumber = caller.number
                record.callerName = caller.name
                originatorExten = caller.exten
            }
        }
        refreshDirection()
        if channel.role == .employee, legIndex(channel.uniqueid) == nil {
            record.legs.append(channel.makeLeg(order: record.legs.count + 1, startedAt: time))
            record.reachedEmployee = true
        }
        if channel.isUp { _ = channelAnswered(channel, at: time) }
    }

    /// Direction follows the originating channel: from a trunk is inbound; from anything else it is outbound once a
    /// trunk joins, internal otherwise. Until the originator is seen, a trunk makes the call inbound.
    mutating func refreshDirection() {
        let direction: CallDirection = switch originatorRole {
        case .trunk: .inbound
        case .employee, .other: hasTrunk ? .outbound : .internal
        case nil: hasTrunk ? .inbound : .internal
        }
        record.direction = direction
        let exten = originatorExten.flatMap { $0 == "s" ? nil : $0 }
        switch direction {
        case .inbound:
            record.didNumber = exten
            record.calledNumber = exten
        case .internal:
            record.calledNumber = exten
        case .outbound:
            record.calledNumber = record.dialedNumber ?? exten
        }
    }

    /// A channel other than the originator went up. An employee leg answered; on outbound calls a trunk channel going
    /// up is the client answering. The originator going up is Asterisk answering the caller (`Answer()` before
    /// `Queue()`, trace S10) and means nothing here. A leg whose conversation already ended (post-call menu,
    /// transferred away) is never answered again.
    mutating func channelAnswered(_ channel: TrackedChannel, at time: Date) -> Bool {
        guard channel.uniqueid != record.linkedid else { return false }
        switch channel.role {
        case .employee:
            guard let index = legIndex(channel.uniqueid), record.legs[index].answeredAt == nil,
                  record.legs[index].endedAt == nil else { return false }
            record.legs[index].answeredAt = time
            record.legs[index].disposition = .answered
            if record.answeredAt == nil, record.direction != .outbound { markAnswered(at: time, byLeg: index) }
            return true
        case .trunk:
            guard record.direction == .outbound, record.answeredAt == nil else { return false }
            markAnswered(at: time, byLeg: legIndex(record.linkedid))
            return true
        case .other:
            return false
        }
    }

    private mutating func markAnswered(at time: Date, byLeg index: Int?) {
        record.answeredAt = time
        record.waitSeconds = max(0, time.timeIntervalSince(record.startedAt))
        if let index {
            record.answeredEmployeeID = record.legs[index].employeeID
            record.answeredExtension = record.legs[index].employeeExtension ?? record.legs[index].endpoint
        }
        // The employee who placed an internal or outbound call starts talking when the other side answers.
        if let originator = legIndex(record.linkedid), record.legs[originator].answeredAt == nil {
            record.legs[originator].answeredAt = time
            record.legs[originator].disposition = .answered
        }
    }

    /// `DialEnd` for a dialled channel: `ANSWER` answers it, anything else is remembered and becomes the leg's
    /// disposition.
    mutating func dialEnded(_ destination: TrackedChannel, status: String, at time: Date) -> Bool {
        if status == "ANSWER" { return channelAnswered(destination, at: time) }
        guard let outcome = DialOutcomes(dialStatus: status) else { return false }
        dialOutcomes.insert(outcome)
        guard let index = legIndex(destination.uniqueid), record.legs[index].disposition == nil else { return false }
        record.legs[index].disposition = outcome.legDisposition
        return true
    }

    /// A trunk was dialled: on outbound calls the dial string holds the number really dialled and the dialling
    /// channel's caller ID is the number shown to the client (set by the dialplan, trace S7).
    mutating func trunkDialed(dialString: String?, shownNumber: String?) -> Bool {
        guard record.direction == .outbound, record.dialedNumber == nil else { return false }
        record.dialedNumber = dialString.flatMap(ChannelName.dialedNumber(fromDialString:))
        record.shownNumber = shownNumber
        refreshDirection()
        return true
    }

    /// The leg's conversation is over (it left the bridge, hung up, or was transferred away). Talk time stops here,
    /// whatever the channel does afterwards (the post-call menu of trace S1).
    mutating func endLeg(_ uniqueid: String, at time: Date, by ending: LegEnding?) -> Bool {
        guard let index = legIndex(uniqueid) else { return false }
        var changed = false
        if record.legs[index].endedAt == nil {
            record.legs[index].endedAt = time
            changed = true
        }
        if let ending, record.legs[index].endedBy == nil || ending != .hangup {
            changed = changed || record.legs[index].endedBy != ending
            record.legs[index].endedBy = ending
        }
        return changed
    }

    /// Ends the leg's conversation if it had one; a leg still ringing is left to its dial's outcome.
    mutating func endAnsweredLeg(_ uniqueid: String, at time: Date) {
        guard let index = legIndex(uniqueid), record.legs[index].answeredAt != nil else { return }
        _ = endLeg(uniqueid, at: time, by: nil)
    }

    /// Which party a hangup on this channel stands for, or nil when the channel no longer speaks for anyone (a leg
    /// in its post-call menu or transferred away, a `Local` channel).
    func party(of channel: TrackedChannel) -> CallParty? {
        if channel.role == .trunk { return .client }
        if channel.uniqueid == record.linkedid, record.direction == .internal { return .client }
        if channel.role == .employee, let index = legIndex(channel.uniqueid), record.legs[index].endedAt == nil {
            return .employee
        }
        return nil
    }
}

extension TrackedCall.DialOutcomes {
    var legDisposition: LegDisposition {
        if contains(.busy) { return .busy }
        if contains(.noAnswer) { return .noAnswer }
        if contains(.cancelled) { return .cancelled }
        return .failed
    }
}
