import AMIModel
import Foundation

/// Events about one channel: state, bridges, hold, hangups, variables.
extension CallTracker {
    mutating func stateChanged(_ event: AMIMessage, at time: Date, _ batch: inout UpdateBatch) {
        guard let channel = trackChannel(event, .plain, at: time, adopting: true, &batch),
              let linkedid = channel.linkedid else { return }
        let isUp = event["ChannelState"] == "6"
        guard isUp != channel.isUp else { return }
        channels[channel.uniqueid]?.isUp = isUp
        var updated = channel
        updated.isUp = isUp
        if isUp, calls[linkedid]?.channelAnswered(updated, at: time, observed: true) == true {
            markChanged(linkedid, at: time, &batch)
        }
    }

    /// Entering a bridge means talking; it also answers a leg whose answer the tracker did not see, and resumes a
    /// leg that only changed bridges (a `Local` channel pair optimising itself away).
    mutating func bridgeEntered(_ event: AMIMessage, at time: Date, _ batch: inout UpdateBatch) {
        guard var channel = trackChannel(event, .plain, at: time, adopting: true, &batch),
              let linkedid = channel.linkedid else { return }
        let bridgeID = event["BridgeUniqueid"]
        channels[channel.uniqueid]?.bridgeID = bridgeID
        channel.bridgeID = bridgeID
        var changed = calls[linkedid]?.legReentered(channel.uniqueid) ?? false
        if calls[linkedid]?.channelAnswered(channel, at: time, observed: false) == true { changed = true }
        if changed { markChanged(linkedid, at: time, &batch) }
    }

    /// Leaving the bridge ends a leg's conversation. When the client (or the caller of an internal call) leaves, so
    /// does every leg that was in the bridge with it: talk ends when the client leaves, whatever the agent's channel does next (trace S1).
    mutating func bridgeLeft(_ event: AMIMessage, at time: Date, _ batch: inout UpdateBatch) {
        guard let channel = trackChannel(event, .plain, at: time, adopting: false, &batch),
              let linkedid = channel.linkedid, calls[linkedid] != nil else { return }
        channels[channel.uniqueid]?.bridgeID = nil
        _ = calls[linkedid]?.endLeg(channel.uniqueid, at: time, by: nil)
        guard let bridgeID = channel.bridgeID,
              channel.uniqueid == linkedid || calls[linkedid]?.isClient(channel) == true,
              let others = calls[linkedid]?.channelIDs else { return }
        for other in others where other != channel.uniqueid && channels[other]?.bridgeID == bridgeID {
            calls[linkedid]?.endAnsweredLeg(other, at: time)
        }
    }

    /// `Hold` / `Unhold`: the channel's phone put the other party on hold, or took it back.
    mutating func holdChanged(_ event: AMIMessage, on: Bool, at time: Date, _ batch: inout UpdateBatch) {
        guard let channel = trackChannel(event, .plain, at: time, adopting: true, &batch),
              let linkedid = channel.linkedid else { return }
        if on { calls[linkedid]?.holdStarted(channel.uniqueid, at: time) } else {
            calls[linkedid]?.holdEnded(channel.uniqueid, at: time)
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

    /// What `route` chose for the call. The first value a call gets is kept: a blind transfer into the agents'
    /// context runs `route` again on the caller's channel, for the transfer target, not for the call.
    mutating func routeVariableSet(
        _ event: AMIMessage, _ variable: TrackedEvent.RouteVariable, at time: Date, _ batch: inout UpdateBatch
    ) {
        guard let value = AMIValue.meaningful(event["Value"]),
              let channel = trackChannel(event, .plain, at: time, adopting: true, &batch),
              let linkedid = channel.linkedid, let record = calls[linkedid]?.record else { return }
        switch variable {
        case .employeeID:
            guard record.requestedEmployeeID == nil, let id = Int64(value) else { return }
            calls[linkedid]?.record.requestedEmployeeID = id
        case .department:
            guard record.requestedDepartment == nil else { return }
            calls[linkedid]?.record.requestedDepartment = value
        case .status:
            guard record.routeStatus == nil else { return }
            calls[linkedid]?.record.routeStatus = value
        }
        markChanged(linkedid, at: time, &batch)
    }

    /// Cdr events. The originating channel's first one is kept as a fallback for the call's outcome. A Cdr with
    /// billed seconds to an employee's or an outside channel is evidence of an answer for a call seen only in part;
    /// Asterisk also writes `ANSWERED` Cdrs with no billed time or no destination for a `Hangup()` after a busy
    /// dial, an IVR that answered the line, a transferer's or a retriever's own leg (traces S17, S21, S22, S23),
    /// and those are not.
    mutating func cdrReceived(_ event: AMIMessage) {
        guard let uniqueid = event["UniqueID"], let linkedid = channels[uniqueid]?.linkedid,
              calls[linkedid] != nil else { return }
        if linkedid == uniqueid, calls[linkedid]?.cdrDisposition == nil {
            calls[linkedid]?.cdrDisposition = event["Disposition"]
        }
        guard event["Disposition"] == "ANSWERED", (event["BillableSeconds"].flatMap { Int($0) } ?? 0) > 0,
              let destination = AMIValue.meaningful(event["DestinationChannel"]),
              let endpoint = ChannelName.endpoint(of: destination) else { return }
        let technology = String(ChannelName.technology(of: destination))
        if directory.isTrunk(technology: technology, endpoint: endpoint)
            || directory.employeesByEndpoint[endpoint] != nil || directory.unknownEndpointsAreEmployees {
            calls[linkedid]?.cdrAnswered = true
        }
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
            calls[linkedid]?.depart(channel, at: time, ending: .moved)
            channel.linkedid = nil
            channel.formerLinkedids.append(linkedid)
            channels[id] = channel
        }
        finishIfEmpty(linkedid, at: time, &batch)
    }
}
