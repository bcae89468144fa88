import AMIModel
import Foundation

/// Events about one channel: state, bridges, hangups, variables.
extension CallTracker {
    mutating func stateChanged(_ event: AMIMessage, at time: Date, _ batch: inout UpdateBatch) {
        guard let channel = trackChannel(event, .plain, at: time, adopting: true, &batch),
              let linkedid = channel.linkedid else { return }
        let isUp = event["ChannelState"] == "6"
        guard isUp != channel.isUp else { return }
        channels[channel.uniqueid]?.isUp = isUp
        var updated = channel
        updated.isUp = isUp
        if isUp, calls[linkedid]?.channelAnswered(updated, at: time) == true { markChanged(linkedid, at: time, &batch) }
    }

    /// Entering a bridge means talking; it also answers a leg whose answer the tracker did not see.
    mutating func bridgeEntered(_ event: AMIMessage, at time: Date, _ batch: inout UpdateBatch) {
        guard var channel = trackChannel(event, .plain, at: time, adopting: true, &batch),
              let linkedid = channel.linkedid else { return }
        let bridgeID = event["BridgeUniqueid"]
        channels[channel.uniqueid]?.bridgeID = bridgeID
        channel.bridgeID = bridgeID
        if calls[linkedid]?.channelAnswered(channel, at: time) == true { markChanged(linkedid, at: time, &batch) }
    }

    /// Leaving the bridge ends a leg's conversation. When the client leaves, so does every leg that was in the
    /// bridge with it: talk ends when the client leaves, whatever the agent's channel does next (trace S1).
    mutating func bridgeLeft(_ event: AMIMessage, at time: Date, _ batch: inout UpdateBatch) {
        guard let channel = trackChannel(event, .plain, at: time, adopting: false, &batch),
              let linkedid = channel.linkedid, calls[linkedid] != nil else { return }
        channels[channel.uniqueid]?.bridgeID = nil
        _ = calls[linkedid]?.endLeg(channel.uniqueid, at: time, by: nil)
        guard let bridgeID = channel.bridgeID, calls[linkedid]?.party(of: channel) == .client,
              let others = calls[linkedid]?.channelIDs else { return }
        for other in others where other != channel.uniqueid && channels[other]?.bridgeID == bridgeID {
            calls[linkedid]?.endAnsweredLeg(other, at: time)
        }
    }

    mutating func hangupRequested(_ event: AMIMessage, byAsterisk: Bool, at time: Date, _ batch: inout UpdateBatch) {
        guard let channel = trackChannel(event, .plain, at: time, adopting: false, &batch),
              let linkedid = channel.linkedid else { return }
        calls[linkedid]?.hangupRequested(on: channel, byAsterisk: byAsterisk, cause: event["Cause"].flatMap { Int($0) })
    }

    mutating func hungUp(_ event: AMIMessage, at time: Date, _ batch: inout UpdateBatch) {
        guard let channel = trackChannel(event, .plain, at: time, adopting: false, &batch) else { return }
        channels.removeValue(forKey: channel.uniqueid)
        guard let linkedid = channel.linkedid else { return }
        calls[linkedid]?.hungUp(
            channel, at: time, cause: event["Cause"].flatMap { Int($0) },
            causeText: AMIValue.meaningful(event["Cause-txt"])
        )
        finishIfEmpty(linkedid, at: time, &batch)
    }

    /// `MIXMONITOR_FILENAME` is set by MixMonitor itself and wins; `RECORDING_FILE` is the name the dialplan chose.
    mutating func recordingNamed(_ event: AMIMessage, fromMixMonitor: Bool, at time: Date, _ batch: inout UpdateBatch) {
        guard let file = AMIValue.meaningful(event["Value"]),
              let channel = trackChannel(event, .plain, at: time, adopting: true, &batch),
              let linkedid = channel.linkedid, let call = calls[linkedid] else { return }
        guard call.record.recordingFile != file, fromMixMonitor || !call.recordingFromMixMonitor else { return }
        calls[linkedid]?.record.recordingFile = file
        if fromMixMonitor { calls[linkedid]?.recordingFromMixMonitor = true }
        markChanged(linkedid, at: time, &batch)
    }

    /// The first Cdr of the originating channel, kept as a fallback for the call's outcome.
    mutating func cdrReceived(_ event: AMIMessage) {
        guard let uniqueid = event["UniqueID"], let linkedid = channels[uniqueid]?.linkedid,
              linkedid == uniqueid, calls[linkedid]?.cdrDisposition == nil else { return }
        calls[linkedid]?.cdrDisposition = event["Disposition"]
    }

    /// CEL `LINKEDID_END` arrives when the last channel carrying the Linkedid is destroyed, sometimes before that
    /// channel's AMI `Hangup` (traces S1, S10). Channels of the call that are neither that channel nor being
    /// destroyed carry another Linkedid by now: they were re-linked by a transfer. They leave the call and wait for
    /// their next event to say where they went.
    mutating func linkedidEnded(_ event: AMIMessage, at time: Date, _ batch: inout UpdateBatch) {
        guard let linkedid = event["LinkedID"], let call = calls[linkedid] else { return }
        let ending = event["UniqueID"]
        for id in call.channelIDs where id != ending {
            guard var channel = channels[id], !channel.isEnding else { continue }
            calls[linkedid]?.depart(channel, at: time, ending: .attendedTransfer)
            channel.linkedid = nil
            channels[id] = channel
        }
        finishIfEmpty(linkedid, at: time, &batch)
    }
}
