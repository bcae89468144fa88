import AMIModel
import Foundation

/// Dialling, queues and transfers: events that relate two channels.
extension CallTracker {
    mutating func dialBegan(_ event: AMIMessage, at time: Date, _ batch: inout UpdateBatch) {
        _ = trackChannel(event, .plain, at: time, adopting: true, &batch)
        guard let destination = trackChannel(event, .dest, at: time, adopting: true, &batch),
              let linkedid = destination.linkedid, destination.role == .trunk else { return }
        let shown = AMIValue.meaningful(event["CallerIDNum"])
        if calls[linkedid]?.trunkDialed(dialString: event["DialString"], shownNumber: shown) == true {
            markChanged(linkedid, at: time, &batch)
        }
    }

    mutating func dialEnded(_ event: AMIMessage, at time: Date, _ batch: inout UpdateBatch) {
        guard let status = event["DialStatus"],
              let destination = trackChannel(event, .dest, at: time, adopting: false, &batch),
              let linkedid = destination.linkedid else { return }
        if calls[linkedid]?.dialEnded(destination, status: status, at: time) == true {
            markChanged(linkedid, at: time, &batch)
        }
    }

    mutating func queueJoined(_ event: AMIMessage, at time: Date, _ batch: inout UpdateBatch) {
        guard let queue = AMIValue.meaningful(event["Queue"]),
              let channel = trackChannel(event, .plain, at: time, adopting: true, &batch),
              let linkedid = channel.linkedid, calls[linkedid]?.record.queueName == nil else { return }
        calls[linkedid]?.record.queueName = queue
        markChanged(linkedid, at: time, &batch)
    }

    /// A queue member took the call (trace S10): the member's channel answered.
    mutating func agentConnected(_ event: AMIMessage, at time: Date, _ batch: inout UpdateBatch) {
        _ = trackChannel(event, .plain, at: time, adopting: true, &batch)
        guard let agent = trackChannel(event, .dest, at: time, adopting: true, &batch),
              let linkedid = agent.linkedid else { return }
        var changed = calls[linkedid]?.channelAnswered(agent, at: time) ?? false
        if calls[linkedid]?.record.queueName == nil, let queue = AMIValue.meaningful(event["Queue"]) {
            calls[linkedid]?.record.queueName = queue
            changed = true
        }
        if changed { markChanged(linkedid, at: time, &batch) }
    }

    /// The transferer's leg ends as a blind transfer; the caller stays in the call and the target's channel is
    /// created with the caller's Linkedid, so it simply joins as a new leg (trace S8).
    mutating func blindTransferred(_ event: AMIMessage, at time: Date, _ batch: inout UpdateBatch) {
        guard event["Result"] == "Success", let transferer = event["TransfererUniqueid"] else { return }
        endLegByTransfer(transferer, ending: .blindTransfer, at: time, &batch)
    }

    /// Both of the transferer's legs end as an attended transfer. When the transfer joined two bridges
    /// (`DestType: Bridge`), Asterisk gives the channels left in the surviving bridge the older Linkedid: the
    /// target moves from the consultation call into the caller's call (trace S9). The event's own Linkedid fields
    /// still show the values from before the move, so the older one is picked here.
    mutating func attendedTransferred(_ event: AMIMessage, at time: Date, _ batch: inout UpdateBatch) {
        guard event["Result"] == "Success" else { return }
        for key in ["OrigTransfererUniqueid", "SecondTransfererUniqueid"] {
            if let transferer = event[key] { endLegByTransfer(transferer, ending: .attendedTransfer, at: time, &batch) }
        }
        guard event["DestType"] == "Bridge", let transferee = event["TransfereeUniqueid"],
              let target = event["TransferTargetUniqueid"],
              let transfereeCall = channels[transferee]?.linkedid, let targetCall = channels[target]?.linkedid,
              transfereeCall != targetCall else { return }
        let survivor = AMIValue.older(transfereeCall, targetCall)
        for id in [transferee, target] where channels[id]?.linkedid != survivor {
            _ = move(id, to: survivor, at: time, &batch)
        }
    }

    private mutating func endLegByTransfer(_ uniqueid: String, ending: LegEnding, at time: Date, _ batch: inout UpdateBatch) {
        guard let linkedid = channels[uniqueid]?.linkedid else { return }
        if calls[linkedid]?.endLeg(uniqueid, at: time, by: ending) == true { markChanged(linkedid, at: time, &batch) }
    }
}
