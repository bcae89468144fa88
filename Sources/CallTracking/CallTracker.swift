public import AMIModel
public import Foundation

/// Turns the AMI event stream of one PBX into call journal updates.
///
/// A call is the set of channels sharing a `Linkedid`. The tracker follows channels through dialling, bridging,
/// transfers and hangups and reports `started`, `changed` and `finished` updates; the journal writer turns each into
/// an idempotent upsert. It is pure and deterministic: no I/O and no clock. Times come from each event's `Timestamp`
/// header (`timestampevents = yes`), or from the receive time passed in when an event has none.
///
/// Events may interleave in any way across calls (trace S12). Within a call Asterisk keeps each channel's events in
/// order, but not the order between channels, so a call ends only when its last channel is gone.
///
/// How the record is derived:
/// - direction from the originating channel (`Uniqueid == Linkedid`): a trunk endpoint makes it inbound; otherwise
///   outbound once a trunk channel joins, internal if none does. Employees are recognised by the endpoint in the
///   channel name (`PJSIP/101-00000001` → `101`), never by caller ID;
/// - answered when a dialled employee channel goes up (`Newstate`, `DialEnd ANSWER`, `AgentConnect`, or entering a
///   bridge), or on outbound calls when the trunk channel does. The originating channel going up is Asterisk
///   answering (`Answer()` before a queue) and does not count;
/// - a leg's conversation ends when it leaves the bridge, or when the client leaves the bridge it shares; what the
///   agent's channel does afterwards (the post-call menu reached through Dial `F()`) adds neither talk nor answers;
/// - unanswered calls are abandoned when the caller hung up first, else missed, busy or failed from `DialEnd`
///   statuses and hangup causes, with the Cdr `Disposition` as a fallback.
///
/// Memory holds only live channels and calls: a finished call leaves nothing behind. Call ``reconcile(liveChannels:now:)``
/// after every AMI (re)connect, because Asterisk does not replay the events of the gap; a call that both began and
/// ended inside a gap is never seen.
public struct CallTracker: Sendable {
    let configuration: CallTrackerConfiguration
    var directory: EndpointDirectory
    /// Live channels by Uniqueid.
    var channels: [String: TrackedChannel] = [:]
    /// Calls in progress by Linkedid.
    var calls: [String: TrackedCall] = [:]
    /// The newest event time seen. Reconciling never ends a call before it: when the PBX clock runs ahead of ours,
    /// "now" would otherwise fall before the call's own answer time.
    var latestEventAt: Date?

    public init(configuration: CallTrackerConfiguration, directory: EndpointDirectory) {
        self.configuration = configuration
        self.directory = directory
    }

    /// Replaces the directory snapshot. Channels already tracked keep the role they were given when first seen.
    public mutating func updateDirectory(_ directory: EndpointDirectory) {
        self.directory = directory
    }

    /// The number of calls with at least one live channel.
    public var callsInProgress: Int { calls.count }

    /// The number of channels the tracker holds; zero whenever no call is in progress.
    public var channelsInProgress: Int { channels.count }

    /// One AMI event (any kind; irrelevant ones are ignored cheaply). `receivedAt` is used when the event has no
    /// `Timestamp` header.
    ///
    /// Returns the updates the event caused, at most one per call, in the order the calls were touched. Events about
    /// channels the tracker has never seen start tracking them as a call in progress, except the events that end a
    /// channel (`Hangup`, `HangupRequest`, `BridgeLeave`, `DialEnd`, CEL), which are ignored for unknown channels.
    public mutating func handle(_ event: AMIMessage, receivedAt: Date) -> [CallUpdate] {
        guard let kind = TrackedEvent(event) else { return [] }
        let time = AMIValue.date(fromTimestamp: event["Timestamp"]) ?? receivedAt
        if latestEventAt.map({ time > $0 }) ?? true { latestEventAt = time }
        var batch = UpdateBatch()
        switch kind {
        case .newChannel: _ = trackChannel(event, .plain, at: time, adopting: true, &batch)
        case .newState: stateChanged(event, at: time, &batch)
        case .dialBegin: dialBegan(event, at: time, &batch)
        case .dialEnd: dialEnded(event, at: time, &batch)
        case .bridgeEnter: bridgeEntered(event, at: time, &batch)
        case .bridgeLeave: bridgeLeft(event, at: time, &batch)
        case .hangupRequest: hangupRequested(event, byAsterisk: false, at: time, &batch)
        case .softHangupRequest: hangupRequested(event, byAsterisk: true, at: time, &batch)
        case .hangup: hungUp(event, at: time, &batch)
        case .blindTransfer: blindTransferred(event, at: time, &batch)
        case .attendedTransfer: attendedTransferred(event, at: time, &batch)
        case .queueCallerJoin: queueJoined(event, at: time, &batch)
        case .queueCallerAbandon: queueAbandoned(event, at: time, &batch)
        case .queueCallerLeave: queueLeft(event, at: time, &batch)
        case .agentConnect: agentConnected(event, at: time, &batch)
        case .pickup: pickedUp(event, at: time, &batch)
        case .parkedCall: parked(event, at: time, &batch)
        case .unparkedCall: unparked(event, at: time, &batch)
        case .hold(let on): holdChanged(event, on: on, at: time, &batch)
        case .recordingVariable(let fromMixMonitor): recordingNamed(event, fromMixMonitor: fromMixMonitor, at: time, &batch)
        case .routeVariable(let variable): routeVariableSet(event, variable, at: time, &batch)
        case .cdr: cdrReceived(event)
        case .channelEnding: if let id = event["UniqueID"] { channels[id]?.isEnding = true }
        case .linkedidEnded: linkedidEnded(event, at: time, &batch)
        case .signOfLife:
            if let uniqueid = event["Uniqueid"], let linkedid = channels[uniqueid]?.linkedid {
                calls[linkedid]?.seen(at: time)
            }
            return []
        }
        return batch.updates(calls: calls)
    }

    /// The channel an event describes (fields named by `fields`), after making sure it is tracked and sits in the
    /// call its `Linkedid` names. Nil when the event names no channel, or an unknown one and `adopting` is false.
    ///
    /// Only the event's own channel fields move a channel to another call: the `Transferee…`/`TransferTarget…`
    /// snapshot of `AttendedTransfer` still shows the Linkedid from before the re-link (trace S9), and so do a
    /// picked-up or retrieving channel's events until it enters the bridge (trace S19).
    ///
    /// An event without a `Linkedid` comes from AMI 1.x (Asterisk 11 and older), where a channel's Linkedid is not
    /// reported: such channels are not tracked, rather than each being taken for a call of its own.
    mutating func trackChannel(
        _ event: AMIMessage, _ fields: ChannelFields, at time: Date, adopting: Bool, _ batch: inout UpdateBatch
    ) -> TrackedChannel? {
        guard let uniqueid = event[fields.uniqueid], !uniqueid.isEmpty, let reported = event[fields.linkedid] else {
            return nil
        }
        let linkedid = reported.isEmpty ? uniqueid : reported
        if let known = channels[uniqueid] {
            guard known.linkedid != linkedid, fields.followsRelink, !known.formerLinkedids.contains(linkedid) else {
                return known
            }
            return move(uniqueid, to: linkedid, at: time, &batch)
        }
        guard adopting else { return nil }
        let channel = TrackedChannel(
            uniqueid: uniqueid, name: event[fields.channel] ?? "", linkedid: linkedid,
            isUp: event[fields.state] == "6", at: time, directory: directory
        )
        channels[uniqueid] = channel
        let isOriginator = uniqueid == linkedid
        let caller = isOriginator ? TrackedCall.CallerInfo(
            number: AMIValue.meaningful(event[fields.callerIDNum]),
            name: AMIValue.meaningful(event[fields.callerIDName]),
            exten: AMIValue.meaningful(event[fields.exten])
        ) : nil
        let seenFromStart = isOriginator && event["Event"] == "Newchannel"
        join(channel, linkedid: linkedid, caller: caller, seenFromStart: seenFromStart, at: time, &batch)
        return channel
    }

    /// Puts a tracked channel into call `linkedid`, creating the call when it is new. A call created by anything but
    /// its originating channel's `Newchannel` is seen only in part.
    private mutating func join(
        _ channel: TrackedChannel, linkedid: String, caller: TrackedCall.CallerInfo?, seenFromStart: Bool,
        legStart: Date? = nil, at time: Date, _ batch: inout UpdateBatch
    ) {
        if calls[linkedid] == nil {
            calls[linkedid] = TrackedCall(
                linkedid: linkedid, pbx: configuration.pbx, startedAt: time, seenInPart: !seenFromStart)
        }
        calls[linkedid]?.join(channel, at: time, caller: caller, legStart: legStart, directory: directory)
        calls[linkedid]?.seen(at: time)
        markChanged(linkedid, at: time, &batch)
    }

    /// Moves a channel to another call: a transfer re-linked it, or a pickup or park retrieval brought it to the
    /// caller. Its leg in the old call ends with `ending`; in the new call it gets a new leg, starting at `legStart`
    /// (default: now; a target still ringing keeps its ringing time, trace S18).
    @discardableResult
    mutating func move(
        _ uniqueid: String, to linkedid: String, ending: LegEnding = .moved, legStart: Date? = nil, at time: Date,
        _ batch: inout UpdateBatch
    ) -> TrackedChannel? {
        guard var channel = channels[uniqueid] else { return nil }
        if let old = channel.linkedid {
            calls[old]?.depart(channel, at: time, ending: ending)
            markChanged(old, at: time, &batch)
            finishIfEmpty(old, at: time, &batch)
            channel.formerLinkedids.append(old)
        }
        channel.formerLinkedids.removeAll { $0 == linkedid }
        channel.linkedid = linkedid
        channels[uniqueid] = channel
        join(channel, linkedid: linkedid, caller: nil, seenFromStart: false, legStart: legStart, at: time, &batch)
        return channel
    }

    /// Reports the call as changed; a call not yet in the journal is reported as started once it deserves a row.
    mutating func markChanged(_ linkedid: String, at time: Date, _ batch: inout UpdateBatch) {
        // Changed in place: reading the call out of the dictionary would copy it, on nearly every event.
        switch calls[linkedid]?.changed(at: time) {
        case .started?: batch.started(linkedid)
        case .changed?: batch.changed(linkedid)
        case .held?, nil: break
        }
    }

    /// Finishes the call when no channel is left in it. A call that never deserved a journal row (a feature code
    /// dialled from a phone) leaves without a trace.
    mutating func finishIfEmpty(_ linkedid: String, at time: Date, endedWhileDisconnected: Bool = false, _ batch: inout UpdateBatch) {
        guard calls[linkedid]?.channelIDs.isEmpty == true, let call = calls.removeValue(forKey: linkedid) else { return }
        batch.forget(linkedid)
        guard call.isJournaled || call.deservesJournal else { return }
        let (record, decision) = call.finished(
            at: time, configuration: configuration, endedWhileDisconnected: endedWhileDisconnected
        )
        batch.finished(record, decision)
    }
}
