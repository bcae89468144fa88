import AMIModel
import NIOCore

/// Fans the replayed AMI events out to every logged-in manager connection, and remembers which channels are live so
/// `CoreShowChannels` answers as Asterisk would. With `recordsTimeline` it also keeps an ``AMITimeline``.
actor AMIEventHub {
    private var subscribers: [Int: AsyncStream<ByteBuffer>.Continuation] = [:]
    private var nextID = 0
    private var liveChannels: [String: AMIMessage] = [:]
    private var loginWaiters: [CheckedContinuation<Void, Never>] = []
    /// Sessions that ever logged in.
    private(set) var logins = 0
    /// Events published so far.
    private var published = 0
    /// While fewer events than this were published, manager connections are refused (fault injection).
    private var unreachableUntil = 0
    /// What was sent to whom, when recorded; each session's place in it by subscriber id, each call's by Linkedid.
    private(set) var timeline: AMITimeline?
    private var sessionIndex: [Int: Int] = [:]
    private var callIndex: [String: Int] = [:]
    /// For the timeline: each channel's first Linkedid, the channels each call started with, and those that moved.
    private var firstLinkedid: [String: String] = [:]
    private var channelsOfCall: [String: Set<String>] = [:]
    private var movedChannels: Set<String> = []

    init(recordsTimeline: Bool = false) {
        timeline = recordsTimeline ? AMITimeline() : nil
    }

    /// Whether a manager connecting now is turned away, as during a network outage.
    var isUnreachable: Bool { published < unreachableUntil }

    /// A stream of encoded events for one connection; ends when `unsubscribe` is called.
    func subscribe() -> (id: Int, events: AsyncStream<ByteBuffer>) {
        let (stream, continuation) = AsyncStream.makeStream(of: ByteBuffer.self, bufferingPolicy: .bufferingNewest(1 << 20))
        nextID += 1
        subscribers[nextID] = continuation
        logins += 1
        if timeline != nil {
            sessionIndex[nextID] = timeline?.sessions.count
            timeline?.sessions.append(AMITimeline.Session(loginAt: published))
        }
        for waiter in loginWaiters { waiter.resume() }
        loginWaiters = []
        return (nextID, stream)
    }

    func unsubscribe(_ id: Int) {
        subscribers.removeValue(forKey: id)?.finish()
        recordEnd(of: id)
    }

    /// Returns once some manager has logged in.
    func waitForLogin() async {
        if logins > 0 { return }
        await withCheckedContinuation { loginWaiters.append($0) }
    }

    /// Ends every manager session, as a network failure or an Asterisk restart of the manager would, and refuses
    /// new connections until `outageEvents` more events were published. Later logins receive the events from then
    /// on; what was sent meanwhile is lost to the dropped sessions, as with Asterisk.
    func dropAll(outageEvents: Int = 0) {
        for (id, continuation) in subscribers {
            continuation.finish()
            recordEnd(of: id)
        }
        subscribers = [:]
        unreachableUntil = published + outageEvents
    }

    /// Marks a call absorbed once every channel it started with has shown up in another call.
    private func noteChannel(_ uniqueid: String, in linkedid: String) {
        guard let first = firstLinkedid[uniqueid] else {
            firstLinkedid[uniqueid] = linkedid
            channelsOfCall[linkedid, default: []].insert(uniqueid)
            return
        }
        guard first != linkedid, movedChannels.insert(uniqueid).inserted,
              channelsOfCall[first]?.isSubset(of: movedChannels) == true, let index = callIndex[first] else { return }
        timeline?.calls[index].absorbed = true
    }

    /// Bytes that are not a well-formed message (a fault-injection aid: the daemon must reject them and go on).
    func publishRaw(_ bytes: [UInt8]) {
        let buffer = ByteBuffer(bytes: bytes)
        for continuation in subscribers.values { continuation.yield(buffer) }
    }

    func publish(_ event: AMIMessage) {
        track(event)
        if timeline != nil, let linkedid = event["Linkedid"], !linkedid.isEmpty, callIndex[linkedid] == nil {
            callIndex[linkedid] = timeline?.calls.count
            timeline?.calls.append(AMITimeline.Call(linkedid: linkedid, firstEvent: published))
        }
        if timeline != nil, let uniqueid = event["Uniqueid"], let linkedid = event["Linkedid"], !linkedid.isEmpty {
            noteChannel(uniqueid, in: linkedid)
        }
        published += 1
        timeline?.events = published
        let bytes = ByteBuffer(bytes: Self.encode(event))
        for continuation in subscribers.values { continuation.yield(bytes) }
    }

    /// `CoreShowChannel` events for the channels alive now, as Asterisk lists them, for the session of `subscriber`.
    func coreShowChannels(actionID: String?, subscriber: Int?) -> [AMIMessage] {
        if let session = subscriber.flatMap({ sessionIndex[$0] }) {
            let linkedids = Set(liveChannels.values.compactMap { $0["Linkedid"] }).sorted()
            timeline?.sessions[session].listings.append(AMITimeline.Listing(at: published, linkedids: linkedids))
        }
        return liveChannels.values.sorted { ($0["Uniqueid"] ?? "") < ($1["Uniqueid"] ?? "") }.map { channel in
            var fields: [(key: String, value: String)] = [("Event", "CoreShowChannel")]
            if let actionID { fields.append(("ActionID", actionID)) }
            for key in ["Channel", "ChannelState", "ChannelStateDesc", "CallerIDNum", "CallerIDName", "ConnectedLineNum",
                        "ConnectedLineName", "Language", "AccountCode", "Context", "Exten", "Priority", "Uniqueid",
                        "Linkedid", "Application", "ApplicationData", "Duration", "BridgeId"] {
                fields.append((key, channel[key] ?? ""))
            }
            return AMIMessage(fields)
        }
    }

    private func recordEnd(of subscriber: Int) {
        guard let session = sessionIndex[subscriber], timeline?.sessions[session].endedAt == nil else { return }
        timeline?.sessions[session].endedAt = published
    }

    private func track(_ event: AMIMessage) {
        guard let channel = event["Channel"], let name = event.eventName else { return }
        switch name {
        case "Hangup":
            liveChannels.removeValue(forKey: channel)
        case "Newchannel", "Newstate", "NewCallerid", "NewConnectedLine", "Newexten", "BridgeEnter", "BridgeLeave":
            guard event["Uniqueid"] != nil else { return }
            var fields = liveChannels[channel].map { Dictionary($0.fields, uniquingKeysWith: { _, last in last }) } ?? [:]
            for (key, value) in event.fields where key != "Event" && key != "Privilege" && key != "Timestamp" {
                fields[key] = value
            }
            if name == "BridgeEnter" { fields["BridgeId"] = event["BridgeUniqueid"] ?? "" }
            if name == "BridgeLeave" { fields["BridgeId"] = "" }
            liveChannels[channel] = AMIMessage(fields.map { ($0.key, $0.value) })
        default:
            break
        }
    }

    /// `Key: Value\r\n` lines and the blank line that ends a message.
    static func encode(_ message: AMIMessage) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(message.byteCount + message.count * 4 + 2)
        for (key, value) in message.fields {
            bytes += Array(key.utf8)
            bytes += [UInt8(ascii: ":"), UInt8(ascii: " ")]
            bytes += Array(value.utf8)
            bytes += [13, 10]
        }
        bytes += [13, 10]
        return bytes
    }
}
