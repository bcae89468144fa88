import Foundation

/// One call in progress: the journal record being built plus what is needed to finish it.
///
/// A call is the set of channels sharing a Linkedid. It ends when its last channel hangs up or moves to another call
/// (an attended transfer re-links the target to the caller's call, trace S9; a pickup or a park retrieval brings the
/// employee's channel into the caller's call, traces S19 and S23).
///
/// The parties: the *caller side* is the originating channel (`Uniqueid == Linkedid`) or, on a call Asterisk
/// originated (AMI `Originate`, click-to-dial, trace S16), the employee whose phone was rung first to place it. The
/// *callee side* is every other employee leg, a trunk channel an inbound call was put through to (an employee's
/// mobile, trace S14), and on outbound calls the client's trunk channel.
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

    /// Where the caller stands in a queue (`app_queue.c` events).
    enum QueueState: Sendable {
        case none, waiting, connected, abandoned
        /// Left the queue unanswered without hanging up: the queue's timeout, an exit key; the dialplan goes on to
        /// voicemail or an IVR.
        case leftUnanswered
    }

    /// Who ended the conversation, named for the call's direction only when the record is built.
    enum HangupSide: Sendable {
        case caller, callee, system
    }

    /// One `Hold` … `Unhold` of a channel.
    struct HoldInterval: Sendable {
        var uniqueid: String
        var start: Date
        var end: Date
    }

    var record: CallRecord
    /// Uniqueids of the channels in the call now, in the order they joined.
    var channelIDs: [String] = []
    var originatorRole: TrackedChannel.Role?
    var hasTrunk = false
    /// A trunk channel was dialled (`DialBegin` to it): tells an outbound call from an inbound one when the
    /// originating channel was never seen.
    var trunkWasDialed = false
    var originatorExten: String?
    /// The first number the caller side dialled, for calls whose originating channel's exten says nothing (originated
    /// calls).
    var firstDialedNumber: String?
    /// Outcomes of dials to the callee side's employee legs and outside numbers.
    var dialOutcomes: DialOutcomes = []
    /// Outcomes of dials to the client on outbound calls: the call's outcome is the client's.
    var clientDialOutcomes: DialOutcomes = []
    /// Channels being dialled now (`DialBegin` without its `DialEnd`).
    var pendingDials: Set<String> = []
    /// The caller hung up while something still rang, or while waiting in a queue, or before anyone was rung.
    var callerGaveUp = false
    /// Asterisk placed the call itself (`DialBegin` without a calling channel: AMI `Originate`).
    var isOriginated = false
    /// The employee leg that placed the call: the originating employee channel, or the first employee rung by an
    /// originate.
    var callerLegID: String?
    /// When the client was first dialled on an outbound call; the client's wait counts from here.
    var clientDialedAt: Date?
    var queue: QueueState = .none
    /// The call has a row in the journal. A call from an employee's phone gets one only once it is a call to
    /// someone (a dial, a second channel, a queue, a `route`), so feature codes (`*8` pickup, parking spaces, the
    /// status key) leave nothing behind.
    var isJournaled = false
    /// The time of the latest sign of life of the call: a change, or an RTCP report of one of its channels.
    var lastSeenAt: Date
    /// The answer itself was seen (`Newstate` Up, `DialEnd ANSWER`, `AgentConnect`), not inferred from a bridge.
    var answerObserved = false
    /// A Cdr showed billed talk to an employee or an outside number: an answer, for calls seen only in part.
    var cdrAnswered = false
    var hangupSide: HangupSide?
    /// The channel whose hangup decided `hangupSide`; its `Hangup` cause becomes the call's.
    var firstHangupChannel: String?
    var originatorCause: (code: Int?, text: String?)
    /// `Disposition` of the originating channel's first Cdr, used only when the events left the outcome open.
    var cdrDisposition: String?
    var recordingFromMixMonitor = false
    /// When the conversation part of the latest departed channel ended.
    var lastDepartureAt: Date?
    /// Channels holding the other party now, since when.
    var openHolds: [String: Date] = [:]
    var holdIntervals: [HoldInterval] = []
    /// When the call was last parked (`ParkedCall`), until it is retrieved.
    var parkedAt: Date?

    init(linkedid: String, pbx: String, startedAt: Date, seenInPart: Bool) {
        record = CallRecord(pbx: pbx, linkedid: linkedid, direction: .internal, startedAt: startedAt)
        record.seenInPart = seenInPart
        lastSeenAt = startedAt
    }

    func legIndex(_ uniqueid: String) -> Int? {
        record.legs.firstIndex { $0.uniqueid == uniqueid }
    }

    var callerLegIndex: Int? { callerLegID.flatMap(legIndex) }

    /// An event about one of the call's channels arrived.
    mutating func seen(at time: Date) {
        if time > lastSeenAt { lastSeenAt = time }
    }

    /// What a change means for the journal: the row changed, the call just got its row, or it has none yet.
    enum ChangeMark { case changed, started, held }

    /// The record changed at `time`.
    mutating func changed(at time: Date) -> ChangeMark {
        if time > record.lastEventAt { record.lastEventAt = time }
        if time > lastSeenAt { lastSeenAt = time }
        if isJournaled { return .changed }
        guard deservesJournal else { return .held }
        isJournaled = true
        return .started
    }

    /// Adds a channel to the call; employee channels, and trunk channels an inbound call is put through to, get a
    /// leg starting at `legStart` (default: now). A channel that is already up when it joins (re-linked by a
    /// transfer, picked up, or adopted after a reconnect) is answered at once.
    mutating func join(
        _ channel: TrackedChannel, at time: Date, caller: CallerInfo?, legStart: Date? = nil,
        directory: EndpointDirectory
    ) {
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
            if channel.role == .employee { callerLegID = channel.uniqueid }
        }
        refreshDirection()
        if needsLeg(channel), legIndex(channel.uniqueid) == nil {
            record.legs.append(channel.makeLeg(
                order: record.legs.count + 1, startedAt: legStart ?? time, directory: directory))
            record.reachedEmployee = true
            if isOriginated, callerLegID == nil, channel.role == .employee { placedBy(channel.uniqueid) }
        }
        if channel.isUp { _ = channelAnswered(channel, at: time, observed: false) }
    }

    /// Employee channels get a leg; so does a trunk channel that is not the client's: on an inbound call, any trunk
    /// channel but the caller's is an outside number the call was put through to.
    private func needsLeg(_ channel: TrackedChannel) -> Bool {
        switch channel.role {
        case .employee: true
        case .trunk: originatorRole == .trunk && channel.uniqueid != record.linkedid
        case .other: false
        }
    }

    /// The employee leg `uniqueid` placed this originated call: they are its caller.
    mutating func placedBy(_ uniqueid: String) {
        callerLegID = uniqueid
        if let index = legIndex(uniqueid) {
            record.callerNumber = record.legs[index].employeeExtension ?? record.legs[index].endpoint
        }
        refreshDirection()
    }

    /// Direction follows the originating channel: from a trunk is inbound; from anything else it is outbound once a
    /// trunk joins, internal otherwise. Until the originator is seen, a trunk makes the call inbound, unless it was
    /// dialled.
    mutating func refreshDirection() {
        let direction: CallDirection = switch originatorRole {
        case .trunk: .inbound
        case .employee, .other: hasTrunk ? .outbound : .internal
        case nil: hasTrunk ? (trunkWasDialed ? .outbound : .inbound) : .internal
        }
        record.direction = direction
        let exten = isOriginated ? nil : originatorExten.flatMap { $0 == "s" ? nil : $0 }
        switch direction {
        case .inbound:
            record.didNumber = exten
            record.calledNumber = exten
        case .internal:
            record.calledNumber = exten ?? firstDialedNumber
        case .outbound:
            record.calledNumber = record.dialedNumber ?? exten ?? firstDialedNumber
        }
    }

    /// Whether `channel` is the client's trunk channel: the inbound caller, or the number an outbound call dialled.
    func isClient(_ channel: TrackedChannel) -> Bool {
        channel.role == .trunk && (channel.uniqueid == record.linkedid || legIndex(channel.uniqueid) == nil)
    }

    /// A channel other than the originator went up. An employee leg or an outside number an inbound call was put
    /// through to answered; on outbound calls the client's trunk channel going up is the client answering. The
    /// originator going up is Asterisk answering the caller (`Answer()` before `Queue()`, trace S10), and the
    /// employee who places an originated call picking up is not the call's answer (trace S16): neither answers the
    /// call. A leg whose conversation already ended (post-call menu, transferred away) is never answered again.
    ///
    /// `observed` is false when the answer is inferred (a bridge, a channel already up when first seen).
    mutating func channelAnswered(_ channel: TrackedChannel, at time: Date, observed: Bool) -> Bool {
        if channel.uniqueid == callerLegID, isOriginated {
            guard let index = legIndex(channel.uniqueid), record.legs[index].answeredAt == nil else { return false }
            record.legs[index].answeredAt = time
            record.legs[index].disposition = .answered
            return true
        }
        guard channel.uniqueid != record.linkedid, channel.uniqueid != callerLegID else { return false }
        if isClient(channel) {
            guard record.direction == .outbound, record.answeredAt == nil else { return false }
            markAnswered(at: time, byLeg: callerLegIndex, observed: observed)
            return true
        }
        guard channel.role != .other, let index = legIndex(channel.uniqueid), record.legs[index].answeredAt == nil,
              record.legs[index].endedAt == nil else { return false }
        record.legs[index].answeredAt = time
        record.legs[index].disposition = .answered
        if record.answeredAt == nil, record.direction != .outbound {
            markAnswered(at: time, byLeg: index, observed: observed)
        }
        return true
    }

    private mutating func markAnswered(at time: Date, byLeg index: Int?, observed: Bool) {
        record.answeredAt = time
        answerObserved = observed
        if let index {
            let leg = record.legs[index]
            record.answeredEmployeeID = leg.employeeID
            record.answeredExtension = leg.employeeExtension ?? leg.externalNumber ?? leg.endpoint
        }
        // The employee who placed an internal or outbound call starts talking when the other side answers.
        if let caller = callerLegIndex, record.legs[caller].answeredAt == nil {
            record.legs[caller].answeredAt = time
            record.legs[caller].disposition = .answered
        }
    }

    /// `DialBegin` from the caller side (or from Asterisk itself, `caller` nil) to `destination`.
    mutating func dialBegan(caller: TrackedChannel?, destination: TrackedChannel, dialString: String?,
                            shownNumber: String?, at time: Date) {
        pendingDials.insert(destination.uniqueid)
        let number = dialString.flatMap(ChannelName.dialedNumber(fromDialString:))
        if caller == nil, destination.uniqueid == record.linkedid {
            isOriginated = true
            if destination.role == .employee { placedBy(destination.uniqueid) }
            refreshDirection()
            return
        }
        if destination.role == .trunk {
            trunkWasDialed = true
            if let index = legIndex(destination.uniqueid) {
                // An outside number an inbound call is put through to: whose phone it is.
                if record.legs[index].externalNumber == nil, let number {
                    record.legs[index].externalNumber = number
                }
            } else if record.dialedNumber == nil {
                record.dialedNumber = number
                record.shownNumber = shownNumber
                clientDialedAt = time
            }
        } else if firstDialedNumber == nil, let caller,
                  caller.uniqueid == record.linkedid || caller.uniqueid == callerLegID {
            firstDialedNumber = number
        }
        refreshDirection()
    }

    /// `DialEnd` for a dialled channel: `ANSWER` answers it, anything else is remembered and becomes the leg's
    /// disposition.
    mutating func dialEnded(_ destination: TrackedChannel, status: String, at time: Date) -> Bool {
        pendingDials.remove(destination.uniqueid)
        if status == "ANSWER" { return channelAnswered(destination, at: time, observed: true) }
        guard let outcome = DialOutcomes(dialStatus: status) else { return false }
        if isClient(destination) { clientDialOutcomes.insert(outcome) } else { dialOutcomes.insert(outcome) }
        guard let index = legIndex(destination.uniqueid), record.legs[index].disposition == nil else { return false }
        record.legs[index].disposition = outcome.legDisposition
        return true
    }

    /// The leg's conversation is over (it left the bridge, hung up, or was transferred away). Talk time stops here,
    /// whatever the channel does afterwards (the post-call menu of trace S1). A hold still open ends with it.
    mutating func endLeg(_ uniqueid: String, at time: Date, by ending: LegEnding?) -> Bool {
        guard let index = legIndex(uniqueid) else { return false }
        var changed = false
        if record.legs[index].endedAt == nil {
            record.legs[index].endedAt = time
            changed = true
            holdEnded(uniqueid, at: time)
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

    /// A leg that left a bridge with nothing else ending it, and enters another one, is still talking: a `Local`
    /// channel pair optimising itself away moves the employee's channel into the caller's bridge.
    mutating func legReentered(_ uniqueid: String) -> Bool {
        guard let index = legIndex(uniqueid), record.legs[index].answeredAt != nil,
              record.legs[index].endedAt != nil, record.legs[index].endedBy == nil else { return false }
        record.legs[index].endedAt = nil
        return true
    }

    /// `Hold` on a channel of the call: the other party hears music, and that is not talk.
    mutating func holdStarted(_ uniqueid: String, at time: Date) {
        if openHolds[uniqueid] == nil { openHolds[uniqueid] = time }
    }

    mutating func holdEnded(_ uniqueid: String, at time: Date) {
        guard let start = openHolds.removeValue(forKey: uniqueid) else { return }
        if time > start { holdIntervals.append(HoldInterval(uniqueid: uniqueid, start: start, end: time)) }
    }

    /// Which side a hangup on this channel stands for, or nil when the channel no longer speaks for anyone (a leg
    /// in its post-call menu or transferred away, a `Local` channel).
    func side(of channel: TrackedChannel) -> HangupSide? {
        if channel.uniqueid == record.linkedid {
            return channel.role == .other ? nil : .caller
        }
        if isClient(channel) { return .callee }
        guard channel.role != .other, let index = legIndex(channel.uniqueid),
              record.legs[index].endedAt == nil else { return nil }
        return channel.uniqueid == callerLegID ? .caller : .callee
    }

    /// `hangupSide` named for the call's direction: client and employee on inbound and outbound calls, caller and
    /// callee on internal ones.
    func party(for side: HangupSide) -> CallParty {
        switch (side, record.direction) {
        case (.system, _): .system
        case (.caller, .inbound), (.callee, .outbound): .client
        case (.callee, .inbound), (.caller, .outbound): .employee
        case (.caller, .internal): .caller
        case (.callee, .internal): .callee
        }
    }

    /// Whether the call is a feature code dialled from a phone (`*8`, `*55`, `#…`): never a call to journal.
    var isFeatureCode: Bool {
        guard originatorRole != .trunk, let first = originatorExten?.first else { return false }
        return first == "*" || first == "#"
    }

    /// Whether the call deserves a journal row yet. Calls from outside always do; a call from a phone once it
    /// reaches for someone. Feature codes never.
    var deservesJournal: Bool {
        if isFeatureCode { return false }
        if originatorRole == .trunk || hasTrunk { return true }
        return channelIDs.count > 1 || !record.legs.filter({ $0.uniqueid != record.linkedid }).isEmpty
            || isOriginated || queue != .none || record.routeStatus != nil || !pendingDials.isEmpty
            || !dialOutcomes.isEmpty
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
