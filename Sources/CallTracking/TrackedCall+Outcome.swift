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
        let endedAt = endedWhileDisconnected ? time : (lastDepartureAt ?? time)
        final.endedAt = endedAt
        final.lastEventAt = time
        final.endedWhileDisconnected = endedWhileDisconnected
        final.status = finalStatus()
        if final.hangupCause == nil, final.hangupCauseText == nil {
            final.hangupCause = originatorCause.code
            final.hangupCauseText = originatorCause.text
        }
        if let originator = legIndex(record.linkedid), final.legs[originator].disposition == nil {
            final.legs[originator].disposition = Self.originatorDisposition(for: final.status)
        }
        if let answeredAt = final.answeredAt {
            final.waitSeconds = max(0, answeredAt.timeIntervalSince(final.startedAt))
            final.talkSeconds = Self.talkSeconds(of: final.legs, callEnd: endedAt)
        } else {
            final.waitSeconds = max(0, endedAt.timeIntervalSince(final.startedAt))
            final.talkSeconds = 0
        }
        final.isTarget = final.status == .answered && (final.talkSeconds ?? 0) >= configuration.targetMinTalkSeconds
        return (final, callbackDecision(for: final, configuration: configuration))
    }

    /// Answered when anyone answered. Otherwise the caller giving up while it rang is abandoned (trace S5), then the
    /// dial outcomes decide (no answer S3, busy S4), then the Cdr, then the originator's hangup cause.
    private func finalStatus() -> CallStatus {
        if record.answeredAt != nil { return .answered }
        let callerParty: CallParty = record.direction == .outbound ? .employee : .client
        if record.hungUpFirst == callerParty { return .abandoned }
        var outcomes = dialOutcomes
        for leg in record.legs where leg.uniqueid != record.linkedid {
            switch leg.disposition {
            case .noAnswer: outcomes.insert(.noAnswer)
            case .busy: outcomes.insert(.busy)
            case .failed: outcomes.insert(.failed)
            case .cancelled, .answered, nil: break
            }
        }
        if outcomes.contains(.noAnswer) { return .missed }
        if outcomes.contains(.busy) { return .busy }
        if outcomes.contains(.failed) { return .failed }
        if outcomes.contains(.cancelled) { return .abandoned }
        switch cdrDisposition {
        case "BUSY": return .busy
        case "FAILED", "CONGESTION": return .failed
        case "NO ANSWER": return .missed
        default: break
        }
        switch originatorCause.code {
        case 1, 3, 20, 21, 27, 34, 38, 41, 42, 58, 88: return .failed
        default: return .missed
        }
    }

    private static func originatorDisposition(for status: CallStatus) -> LegDisposition {
        switch status {
        case .answered: .answered
        case .missed, .inProgress: .noAnswer
        case .busy: .busy
        case .abandoned: .cancelled
        case .failed: .failed
        }
    }

    /// Talk is the time at least one employee leg was in conversation: the union of the legs' answered intervals, so
    /// the two legs of an internal call count once and consecutive legs of a transfer add up. Time on hold inside
    /// the bridge (the caller hearing music while the agent consults, trace S9) counts as talk, as in the Cdr's
    /// billable seconds.
    static func talkSeconds(of legs: [CallLeg], callEnd: Date) -> Double {
        var intervals: [(start: Date, end: Date)] = []
        for leg in legs {
            guard let start = leg.answeredAt else { continue }
            let end = leg.endedAt ?? callEnd
            if end > start { intervals.append((start, end)) }
        }
        intervals.sort { $0.start < $1.start }
        var total = 0.0
        var current: (start: Date, end: Date)?
        for interval in intervals {
            if let open = current, interval.start <= open.end {
                current = (open.start, max(open.end, interval.end))
            } else {
                if let open = current { total += open.end.timeIntervalSince(open.start) }
                current = interval
            }
        }
        if let open = current { total += open.end.timeIntervalSince(open.start) }
        return total
    }

    /// Inbound missed, busy or abandoned calls open (or join) a callback task for the caller; a conversation with
    /// the client — an answered inbound call, or an outbound call the client answered — closes it.
    private func callbackDecision(for final: CallRecord, configuration: CallTrackerConfiguration) -> CallbackDecision {
        guard let number = final.clientNumber else { return .none }
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
