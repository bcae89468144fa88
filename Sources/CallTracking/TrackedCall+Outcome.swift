import Foundation

/// The final record of a call and what it means for callback tasks.
extension TrackedCall {
    /// The record as the journal keeps it once every channel is gone.
    ///
    /// The call ends when its conversation ended: for a leg that went on into the post-call menu (Dial `F()`,
    /// trace S1) that is when it left the bridge, not when its channel hung up.
    func finished(at time: Date, configuration: CallTrackerConfiguration, endedWhileDisconnected: Bool)
        -> (CallRecord, CallbackDecision) {
        var final = record
        let endedAt = endedWhileDisconnected ? max(lastSeenAt, record.startedAt) : (lastDepartureAt ?? time)
        final.endedAt = endedAt
        final.lastEventAt = max(time, record.lastEventAt)
        final.endedWhileDisconnected = endedWhileDisconnected
        final.status = finalStatus()
        if let side = hangupSide { final.hungUpFirst = party(for: side) }
        if final.hangupCause == nil, final.hangupCauseText == nil {
            final.hangupCause = originatorCause.code
            final.hangupCauseText = originatorCause.text
        }
        if let caller = callerLegIndex, final.legs[caller].disposition == nil {
            final.legs[caller].disposition = Self.originatorDisposition(for: final.status)
        }
        var holds = holdIntervals
        for (uniqueid, start) in openHolds where endedAt > start {
            holds.append(HoldInterval(uniqueid: uniqueid, start: start, end: endedAt))
        }
        let conversation = Self.conversation(of: final.legs, answeredAt: final.answeredAt, callEnd: endedAt)
        for index in final.legs.indices {
            final.legs[index].holdSeconds = Self.legHoldSeconds(final.legs[index], holds: holds, callEnd: endedAt)
        }
        let heldSeconds = Intervals.measure(Intervals.intersect(
            Intervals.union(holds.map { ($0.start, $0.end) }), conversation))
        final.holdSeconds = heldSeconds
        if final.answeredAt != nil {
            let dialled = final.direction == .outbound ? (clientDialedAt ?? final.startedAt) : final.startedAt
            final.waitSeconds = max(0, (final.answeredAt ?? endedAt).timeIntervalSince(dialled))
            final.talkSeconds = max(0, Intervals.measure(conversation) - heldSeconds)
        } else {
            let dialled = final.direction == .outbound ? (clientDialedAt ?? final.startedAt) : final.startedAt
            final.waitSeconds = max(0, endedAt.timeIntervalSince(dialled))
            final.talkSeconds = final.status == .answered ? nil : 0
            final.holdSeconds = final.status == .answered ? nil : 0
        }
        if record.seenInPart {
            // The start was not seen, so no wait is known; talk only when the answer itself was seen.
            final.waitSeconds = nil
            if !answerObserved || final.status == .unknown {
                final.answeredAt = nil
                final.talkSeconds = nil
                final.holdSeconds = nil
            }
        }
        // MixMonitor leaves a header-only file for a call nobody talked on.
        if final.status != .answered || final.talkSeconds.map({ $0 <= 0 }) == true { final.recordingFile = nil }
        final.isTarget = final.status == .answered && (final.talkSeconds ?? 0) >= configuration.targetMinTalkSeconds
        return (final, callbackDecision(for: final, configuration: configuration))
    }

    /// Answered when anyone answered. A call seen only in part and never seen answered is `unknown`. Otherwise the
    /// caller giving up (trace S5; in a queue, S20; in an IVR, S21) is abandoned, then the dial outcomes decide (no
    /// answer S3, busy S4; on outbound calls the client's dial), a queue left unanswered is missed, then the Cdr,
    /// then the originator's hangup cause.
    private func finalStatus() -> CallStatus {
        if record.seenInPart, record.answeredAt != nil, !cdrAnswered,
           record.legs.filter({ $0.answeredAt != nil }).allSatisfy({ $0.endedBy == .moved }),
           !record.legs.isEmpty {
            // Seen in part, the only answer came from a channel that then moved to another call: the answer may
            // well have been that call's (a transfer target answering the caller, trace S18 cut short).
            return .unknown
        }
        if record.answeredAt != nil || (record.seenInPart && cdrAnswered) { return .answered }
        if record.seenInPart { return .unknown }
        if queue == .abandoned || (hangupSide == .caller && callerGaveUp) { return .abandoned }
        var outcomes = dialOutcomes
        if record.direction == .outbound, trunkWasDialed {
            outcomes = clientDialOutcomes
        } else {
            for leg in record.legs where leg.uniqueid != callerLegID {
                switch leg.disposition {
                case .noAnswer: outcomes.insert(.noAnswer)
                case .busy: outcomes.insert(.busy)
                case .failed: outcomes.insert(.failed)
                case .cancelled, .answered, nil: break
                }
            }
        }
        if outcomes.contains(.noAnswer) { return .missed }
        if outcomes.contains(.busy) { return .busy }
        if outcomes.contains(.failed) { return .failed }
        if queue == .leftUnanswered { return .missed }
        if outcomes.contains(.cancelled) { return .abandoned }
        switch cdrDisposition {
        case "BUSY": return .busy
        case "FAILED", "CONGESTION": return .failed
        case "NO ANSWER": return .missed
        default: break
        }
        if hangupSide == .caller { return .abandoned }
        switch originatorCause.code {
        case 1, 3, 20, 21, 27, 34, 38, 41, 42, 58, 88: return .failed
        default: return .missed
        }
    }

    private static func originatorDisposition(for status: CallStatus) -> LegDisposition {
        switch status {
        case .answered: .answered
        case .missed, .inProgress, .unknown: .noAnswer
        case .busy: .busy
        case .abandoned: .cancelled
        case .failed: .failed
        }
    }

    /// The conversation: the union of the legs' answered intervals, none before the call was answered (the employee
    /// who places a click-to-dial call picks up before the client does, trace S16). The two legs of an internal
    /// call count once and consecutive legs of a transfer add up; time parked between them is not in it.
    static func conversation(of legs: [CallLeg], answeredAt: Date?, callEnd: Date) -> [(Date, Date)] {
        guard let callAnswer = answeredAt else { return [] }
        return Intervals.union(legs.compactMap { leg in
            guard let start = leg.answeredAt else { return nil }
            let from = max(start, callAnswer), to = leg.endedAt ?? callEnd
            return to > from ? (from, to) : nil
        })
    }

    /// The leg's own time on hold while it was answered.
    static func legHoldSeconds(_ leg: CallLeg, holds: [HoldInterval], callEnd: Date) -> Double? {
        guard let start = leg.answeredAt else { return nil }
        let own = holds.filter { $0.uniqueid == leg.uniqueid }.map { ($0.start, $0.end) }
        if own.isEmpty { return 0 }
        return Intervals.measure(Intervals.intersect(Intervals.union(own), [(start, leg.endedAt ?? callEnd)]))
    }

    /// Inbound missed, busy or abandoned calls open (or join) a callback task for the caller; a conversation with
    /// the client — an answered inbound call, or an outbound call the client answered — closes it.
    ///
    /// A call that never rang anyone (an IVR or voicemail only, trace S21) opens one only when
    /// `callbackForUnattended` says so; consultation calls and calls of unknown outcome never do.
    private func callbackDecision(for final: CallRecord, configuration: CallTrackerConfiguration) -> CallbackDecision {
        guard let number = final.clientNumber, final.consultationFor == nil else { return .none }
        if !final.reachedEmployee, final.status != .answered, !configuration.callbackForUnattended { return .none }
        switch (final.direction, final.status) {
        case (.inbound, .missed), (.inbound, .busy), (.inbound, .abandoned):
            let missedAt = final.endedAt ?? final.startedAt
            return .openOrJoin(
                number: number, missedAt: missedAt,
                deadline: missedAt.addingTimeInterval(configuration.callbackDeadlineSeconds)
            )
        case (.inbound, .answered), (.outbound, .answered):
            return .close(number: number, at: final.answeredAt ?? final.startedAt)
        default:
            return .none
        }
    }
}
