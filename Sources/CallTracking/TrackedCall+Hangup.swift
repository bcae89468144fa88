import Foundation

/// Hangups and departures: who hung up first, with which cause, and when each channel left the conversation.
extension TrackedCall {
    /// `HangupRequest` (the far end hung up) or `SoftHangupRequest` (Asterisk asked) on a channel of the call. The
    /// first one on a channel that still speaks for a party decides `hungUpFirst`: the caller's BYE in trace S1, the
    /// agent's in S2, the rejected ringing leg (486) in S4, Asterisk ending the caller after the Dial timeout in S3.
    mutating func hangupRequested(on channel: TrackedChannel, byAsterisk: Bool, cause: Int?) {
        guard record.hungUpFirst == nil, let party = party(of: channel) else { return }
        // A ringing leg only counts when its phone rejected the call, not when Asterisk stopped the ringing.
        if byAsterisk, party == .employee, let index = legIndex(channel.uniqueid),
           record.legs[index].answeredAt == nil { return }
        record.hungUpFirst = byAsterisk ? .system : party
        firstHangupChannel = channel.uniqueid
        record.hangupCause = cause
    }

    /// The channel's `Hangup`. A hangup with no request before it on a channel that speaks for a party was Asterisk's
    /// doing; ringing legs that Asterisk stops (`Answered elsewhere`, Dial timeout) are not a party hanging up.
    mutating func hungUp(_ channel: TrackedChannel, at time: Date, cause: Int?, causeText: String?) {
        if record.hungUpFirst == nil, let party = party(of: channel) {
            let ringingLeg = party == .employee && legIndex(channel.uniqueid).map { record.legs[$0].answeredAt == nil } == true
            if !ringingLeg {
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

    /// The channel leaves the call: it hung up, vanished during an AMI disconnect, or was re-linked to another call.
    /// A leg still talking ends now; a leg that never answered gets its disposition from what is known.
    mutating func depart(_ channel: TrackedChannel, at time: Date, ending: LegEnding, cause: Int? = nil) {
        channelIDs.removeAll { $0 == channel.uniqueid }
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
            if record.answeredAt != nil || record.hungUpFirst == .client { return .cancelled }
            return .noAnswer
        }
    }
}
