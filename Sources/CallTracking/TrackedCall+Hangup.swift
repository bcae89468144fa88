import Foundation

/// Hangups and departures: who hung up first, with which cause, and when each channel left the conversation.
extension TrackedCall {
    /// `HangupRequest` (the far end hung up) or `SoftHangupRequest` (Asterisk asked) on a channel of the call. The
    /// first one on a channel that still speaks for a party decides who hung up first: the caller's BYE in trace S1,
    /// the agent's in S2, the caller giving up while it rang in S5, Asterisk ending the caller after the Dial
    /// timeout in S3 or after a busy callee in S4 and S17. A callee that never answered (rejected, busy, stopped
    /// ringing) ended no conversation and does not count.
    mutating func hangupRequested(on channel: TrackedChannel, byAsterisk: Bool, cause: Int?) {
        guard hangupSide == nil, let side = side(of: channel) else { return }
        if side == .callee, !hasAnswered(channel) { return }
        if side == .caller, !byAsterisk, record.answeredAt == nil {
            callerGaveUp = !pendingDials.isEmpty || queue == .waiting
                || (record.legs.allSatisfy { $0.uniqueid == callerLegID } && queue == .none)
        }
        hangupSide = byAsterisk ? .system : side
        firstHangupChannel = channel.uniqueid
        record.hungUpFirst = party(for: hangupSide ?? side)
        record.hangupCause = cause
    }

    /// The channel's `Hangup`. A hangup with no request before it on a channel that speaks for a party was Asterisk's
    /// doing; ringing legs that Asterisk stops (`Answered elsewhere`, Dial timeout) are not a party hanging up.
    mutating func hungUp(_ channel: TrackedChannel, at time: Date, cause: Int?, causeText: String?) {
        if hangupSide == nil, let side = side(of: channel) {
            if side == .caller || hasAnswered(channel) {
                hangupSide = .system
                record.hungUpFirst = .system
                firstHangupChannel = channel.uniqueid
            }
        }
        if channel.uniqueid == firstHangupChannel {
            if let cause { record.hangupCause = cause }
            if let causeText { record.hangupCauseText = causeText }
        }
        if channel.uniqueid == record.linkedid { originatorCause = (cause, causeText) }
        depart(channel, at: time, ending: .hangup, cause: cause)
    }

    /// Whether a callee-side channel was ever in conversation: its leg answered, or, for the client of an outbound
    /// call, the call did.
    private func hasAnswered(_ channel: TrackedChannel) -> Bool {
        if let index = legIndex(channel.uniqueid) { return record.legs[index].answeredAt != nil }
        return record.answeredAt != nil
    }

    /// The channel leaves the call: it hung up, vanished during an AMI disconnect, or was re-linked to another call.
    /// A leg still talking ends now; a leg that never answered gets its disposition from what is known.
    mutating func depart(_ channel: TrackedChannel, at time: Date, ending: LegEnding, cause: Int? = nil) {
        channelIDs.removeAll { $0 == channel.uniqueid }
        pendingDials.remove(channel.uniqueid)
        holdEnded(channel.uniqueid, at: time)
        var end = time
        if let index = legIndex(channel.uniqueid) {
            if record.legs[index].disposition == nil, channel.uniqueid != record.linkedid {
                record.legs[index].disposition = unansweredDisposition(cause: cause)
            }
            _ = endLeg(channel.uniqueid, at: time, by: ending)
            end = record.legs[index].endedAt ?? time
        }
        if let last = lastDepartureAt, last > end { return }
        lastDepartureAt = end
    }

    /// How a leg that rang without answering ended, when no `DialEnd` said so.
    private func unansweredDisposition(cause: Int?) -> LegDisposition {
        switch cause {
        case 17: return .busy
        case 26: return .cancelled
        case 1, 3, 20, 21, 27, 34, 38, 41, 42, 58, 88: return .failed
        default:
            if record.answeredAt != nil || hangupSide == .caller { return .cancelled }
            return .noAnswer
        }
    }
}
