public import AMIModel
public import Foundation

/// Rebuilding the live picture after an AMI (re)connect.
extension CallTracker {
    /// After an AMI (re)connect: the `CoreShowChannel` events listing live channels. Calls the tracker holds whose
    /// channels are all gone are finished with `endedWhileDisconnected = true` (ended at `now`); live channels not
    /// known yet are adopted as calls in progress.
    ///
    /// A session starts at the tail of Asterisk's event queue, so whatever happened in the gap is lost:
    /// - a channel the tracker holds that is not listed hung up in the gap; a leg still talking ends at `now`, and a
    ///   call left with no channel is finished, its hangup party and cause unknown;
    /// - a listed channel the tracker does not know started in the gap (or before the tracker ran). It is adopted with
    ///   its start estimated from `Duration`; an employee channel that is up is taken as answered from its start,
    ///   the best estimate available, so its talk time can be overstated by its ringing time;
    /// - a listed channel the tracker knows moves to the call its `Linkedid` names and is answered at `now` if it went
    ///   up in the gap;
    /// - a call that began and ended inside the gap is never seen.
    ///
    /// Messages other than `CoreShowChannel` events are ignored. Updates come in a deterministic order: vanished
    /// channels by Uniqueid, then listed channels, originating channels first.
    public mutating func reconcile(liveChannels: [AMIMessage], now: Date) -> [CallUpdate] {
        let now = max(now, latestEventAt ?? now)
        let listed = liveChannels.filter { $0["Event"] == "CoreShowChannel" && $0["Uniqueid"] != nil }
        let live = Set(listed.compactMap { $0["Uniqueid"] })
        var batch = UpdateBatch()
        for uniqueid in channels.keys.filter({ !live.contains($0) }).sorted() {
            channelVanished(uniqueid, at: now, &batch)
        }
        let originatorsFirst = listed.filter(isOriginator) + listed.filter { !isOriginator($0) }
        for message in originatorsFirst {
            adoptListedChannel(message, now: now, &batch)
        }
        return batch.updates(calls: calls)
    }

    private func isOriginator(_ message: AMIMessage) -> Bool {
        message["Uniqueid"] == message["Linkedid"]
    }

    /// A channel hung up while the daemon was not listening. Its call is taken to have ended at the last event seen
    /// for it, not at the reconnect: the gap is not talk (an Asterisk restart would otherwise add its length).
    private mutating func channelVanished(_ uniqueid: String, at time: Date, _ batch: inout UpdateBatch) {
        guard let channel = channels.removeValue(forKey: uniqueid), let linkedid = channel.linkedid else { return }
        let lastSeen = min(time, calls[linkedid]?.lastSeenAt ?? time)
        calls[linkedid]?.depart(channel, at: lastSeen, ending: .hangup)
        finishIfEmpty(linkedid, at: time, endedWhileDisconnected: true, &batch)
    }

    private mutating func adoptListedChannel(_ message: AMIMessage, now: Date, _ batch: inout UpdateBatch) {
        guard let uniqueid = message["Uniqueid"] else { return }
        let known = channels[uniqueid] != nil
        let started = now.addingTimeInterval(-(AMIValue.seconds(fromDuration: message["Duration"]) ?? 0))
        guard var channel = trackChannel(message, .plain, at: known ? now : started, adopting: true, &batch),
              let linkedid = channel.linkedid else { return }
        let bridgeID = AMIValue.meaningful(message["BridgeId"])
        channels[uniqueid]?.bridgeID = bridgeID
        channel.bridgeID = bridgeID
        let isUp = message["ChannelState"] == "6"
        guard known, isUp, !channel.isUp else { return }
        channels[uniqueid]?.isUp = true
        channel.isUp = true
        if calls[linkedid]?.channelAnswered(channel, at: now, observed: false) == true {
            markChanged(linkedid, at: now, &batch)
        }
    }
}
