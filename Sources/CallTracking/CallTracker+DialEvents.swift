import AMIModel
import Foundation

/// Dialling, queues, transfers, pickup and parking: events that relate two channels.
extension CallTracker {
    /// `DialBegin`. Without `Channel…` fields nobody dials: Asterisk itself places the call (AMI `Originate`,
    /// trace S16), and the dialled channel is the one that places it.
    mutating func dialBegan(_ event: AMIMessage, at time: Date, _ batch: inout UpdateBatch) {
        let caller = trackChannel(event, .plain, at: time, adopting: true, &batch)
        guard var destination = trackChannel(event, .dest, at: time, adopting: true, &batch),
              let linkedid = destination.linkedid else { return }
        if destination.role == .trunk, let dialString = event["DialString"] {
            destination.dialedNumber = ChannelName.dialedNumber(fromDialString: dialString)
            channels[destination.uniqueid]?.dialedNumber = destination.dialedNumber
        }
        calls[linkedid]?.dialBegan(
            caller: caller, destination: destination, dialString: event["DialString"],
            shownNumber: AMIValue.meaningful(event["CallerIDNum"]), at: time)
        if let index = calls[linkedid]?.legIndex(destination.uniqueid), destination.role == .trunk,
           let number = destination.dialedNumber, let owner = directory.employeesByPhone[number], !owner.ignoreInJournal {
            calls[linkedid]?.record.legs[index].employeeID = owner.id
            calls[linkedid]?.record.legs[index].employeeExtension = owner.extensionNumber
        }
        markChanged(linkedid, at: time, &batch)
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
        guard let channel = trackChannel(event, .plain, at: time, adopting: true, &batch),
              let linkedid = channel.linkedid, calls[linkedid] != nil else { return }
        if calls[linkedid]?.record.queueName == nil {
            calls[linkedid]?.record.queueName = AMIValue.meaningful(event["Queue"])
        }
        calls[linkedid]?.record.queuePosition = event["Position"].flatMap { Int($0) }
        calls[linkedid]?.queue = .waiting
        markChanged(linkedid, at: time, &batch)
    }

    /// The caller hung up while waiting (trace S20): abandoned in the queue, at the position they had reached.
    mutating func queueAbandoned(_ event: AMIMessage, at time: Date, _ batch: inout UpdateBatch) {
        guard let channel = trackChannel(event, .plain, at: time, adopting: true, &batch),
              let linkedid = channel.linkedid, calls[linkedid] != nil else { return }
        calls[linkedid]?.queue = .abandoned
        if let position = event["Position"].flatMap({ Int($0) }) { calls[linkedid]?.record.queuePosition = position }
        markChanged(linkedid, at: time, &batch)
    }

    /// Leaving the queue still waiting, without an agent and without hanging up, is the queue's timeout (or an exit
    /// key): the dialplan goes on to voicemail or an IVR, and the call is missed whatever the caller does there.
    mutating func queueLeft(_ event: AMIMessage, at time: Date, _ batch: inout UpdateBatch) {
        guard let channel = trackChannel(event, .plain, at: time, adopting: false, &batch),
              let linkedid = channel.linkedid, calls[linkedid]?.queue == .waiting else { return }
        calls[linkedid]?.queue = .leftUnanswered
    }

    /// A queue member took the call (trace S10): the member's channel answered.
    mutating func agentConnected(_ event: AMIMessage, at time: Date, _ batch: inout UpdateBatch) {
        if let caller = trackChannel(event, .plain, at: time, adopting: true, &batch), let linkedid = caller.linkedid {
            calls[linkedid]?.queue = .connected
        }
        guard let agent = trackChannel(event, .dest, at: time, adopting: true, &batch),
              let linkedid = agent.linkedid else { return }
        var changed = calls[linkedid]?.channelAnswered(agent, at: time, observed: true) ?? false
        if calls[linkedid]?.record.queueName == nil, let queue = AMIValue.meaningful(event["Queue"]) {
            calls[linkedid]?.record.queueName = queue
            changed = true
        }
        if changed { markChanged(linkedid, at: time, &batch) }
    }

    /// Call pickup (trace S19): the ringing leg ends picked up, and the phone that picked up joins the caller's call
    /// at once, answered. Its own call (the feature code it dialled) is left empty and never journalled.
    mutating func pickedUp(_ event: AMIMessage, at time: Date, _ batch: inout UpdateBatch) {
        guard let target = trackChannel(event, .target, at: time, adopting: false, &batch),
              let linkedid = target.linkedid, calls[linkedid] != nil else { return }
        if let index = calls[linkedid]?.legIndex(target.uniqueid),
           calls[linkedid]?.record.legs[index].disposition == nil {
            calls[linkedid]?.record.legs[index].disposition = .cancelled
        }
        _ = calls[linkedid]?.endLeg(target.uniqueid, at: time, by: .pickedUp)
        if let picker = trackChannel(event, .plain, at: time, adopting: true, &batch), picker.linkedid != linkedid {
            move(picker.uniqueid, to: linkedid, at: time, &batch)
        }
        markChanged(linkedid, at: time, &batch)
    }

    /// A call was parked (trace S23). The parker's leg (named by `ParkerDialString`) ends `parked`; the
    /// `BlindTransfer` to the parking extension that follows does not make it a transfer.
    mutating func parked(_ event: AMIMessage, at time: Date, _ batch: inout UpdateBatch) {
        guard let parkee = trackChannel(event, .parkee, at: time, adopting: true, &batch),
              let linkedid = parkee.linkedid, let call = calls[linkedid] else { return }
        calls[linkedid]?.parkedAt = time
        if let parker = AMIValue.meaningful(event["ParkerDialString"]) {
            for leg in call.record.legs where leg.channel.hasPrefix(parker + "-") && leg.answeredAt != nil
                && (leg.endedAt == nil || leg.endedBy == .blindTransfer) {
                _ = calls[linkedid]?.endLeg(leg.uniqueid, at: time, by: .parked)
            }
        }
        markChanged(linkedid, at: time, &batch)
    }

    /// A parked call was retrieved (trace S23): the retriever joins the caller's call, answered; its own call (the
    /// parking space it dialled) is left empty and never journalled.
    mutating func unparked(_ event: AMIMessage, at time: Date, _ batch: inout UpdateBatch) {
        guard let parkee = trackChannel(event, .parkee, at: time, adopting: true, &batch),
              let linkedid = parkee.linkedid, calls[linkedid] != nil else { return }
        calls[linkedid]?.parkedAt = nil
        if let retriever = trackChannel(event, .retriever, at: time, adopting: true, &batch),
           retriever.linkedid != linkedid {
            move(retriever.uniqueid, to: linkedid, at: time, &batch)
        }
        markChanged(linkedid, at: time, &batch)
    }

    /// The transferer's leg ends as a blind transfer; the caller stays in the call and the target's channel is
    /// created with the caller's Linkedid, so it simply joins as a new leg (trace S8). A blind transfer to a parking
    /// lot right after `ParkedCall` is a park.
    mutating func blindTransferred(_ event: AMIMessage, at time: Date, _ batch: inout UpdateBatch) {
        guard event["Result"] == "Success", let transferer = event["TransfererUniqueid"],
              let linkedid = channels[transferer]?.linkedid, let call = calls[linkedid] else { return }
        let parking = call.parkedAt.map { time.timeIntervalSince($0) < 5 } ?? false
        if parking, let index = call.legIndex(transferer), call.record.legs[index].endedBy == .parked { return }
        endLegByTransfer(transferer, ending: parking ? .parked : .blindTransfer, at: time, &batch)
    }

    /// An attended transfer. The transferer's leg on the transferred call ends `attended_transfer`, or
    /// `blonde_transfer` when the target was still ringing (`DestType: App`, trace S18); its consultation leg simply
    /// ends. The consultation call is marked as serving the transferred call, and the transfer is recorded only there.
    ///
    /// When the transfer joined two bridges (`DestType: Bridge`), Asterisk gives the channels left in the surviving
    /// bridge the older Linkedid: the target moves from the consultation call into the caller's call (trace S9). The
    /// event's own Linkedid fields still show the values from before the move, so the older one is picked here.
    /// When the target was still ringing, the caller's channel takes over the consultation's dial: every channel of
    /// the consultation call but the transferer's moves to the caller's call, keeping its ringing time.
    mutating func attendedTransferred(_ event: AMIMessage, at time: Date, _ batch: inout UpdateBatch) {
        guard event["Result"] == "Success" else { return }
        let destType = event["DestType"]
        let orig = event["OrigTransfererUniqueid"], second = event["SecondTransfererUniqueid"]
        let transferee = event["TransfereeUniqueid"]
        if let orig { endLegByTransfer(orig, ending: destType == "App" ? .blondeTransfer : .attendedTransfer, at: time, &batch) }
        if let second, let call = channels[second]?.linkedid, calls[call]?.endLeg(second, at: time, by: nil) == true {
            markChanged(call, at: time, &batch)
        }
        guard let mainCall = transferee.flatMap({ channels[$0]?.linkedid }) ?? orig.flatMap({ channels[$0]?.linkedid }),
              let consultation = second.flatMap({ channels[$0]?.linkedid }), mainCall != consultation else { return }
        if destType == "Bridge", let target = event["TransferTargetUniqueid"], let targetCall = channels[target]?.linkedid,
           let transferee, targetCall != mainCall {
            let survivor = AMIValue.older(mainCall, targetCall)
            let served = survivor == mainCall ? targetCall : mainCall
            calls[served]?.record.consultationFor = survivor
            markChanged(served, at: time, &batch)
            for id in [transferee, target] where channels[id]?.linkedid != survivor {
                move(id, to: survivor, at: time, &batch)
            }
            return
        }
        calls[consultation]?.record.consultationFor = mainCall
        markChanged(consultation, at: time, &batch)
        guard destType == "App", let others = calls[consultation]?.channelIDs else { return }
        for id in others where id != second {
            move(id, to: mainCall, legStart: channels[id]?.firstSeenAt, at: time, &batch)
        }
    }

    private mutating func endLegByTransfer(_ uniqueid: String, ending: LegEnding, at time: Date, _ batch: inout UpdateBatch) {
        guard let linkedid = channels[uniqueid]?.linkedid else { return }
        if calls[linkedid]?.endLeg(uniqueid, at: time, by: ending) == true { markChanged(linkedid, at: time, &batch) }
    }
}
