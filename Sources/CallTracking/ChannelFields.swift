/// The names of the fields that describe one channel inside an AMI event.
///
/// Channel events (`Newchannel`, `Hangup`, `BridgeEnter`, …) use the plain names; `DialBegin`, `DialEnd` and
/// `AgentConnect` describe the dialled channel with a `Dest` prefix, and `CoreShowChannel` uses the plain names too.
struct ChannelFields: Sendable {
    let channel: String
    let uniqueid: String
    let linkedid: String
    /// Numeric channel state; `6` is Up.
    let state: String
    let callerIDNum: String
    let callerIDName: String
    let exten: String
    /// Whether a Linkedid in these fields is current enough to move the channel to another call. True for the
    /// event's own channel; `Dest…` snapshots are not trusted for that.
    let followsRelink: Bool

    private init(prefix: String) {
        followsRelink = prefix.isEmpty
        channel = prefix + "Channel"
        uniqueid = prefix + "Uniqueid"
        linkedid = prefix + "Linkedid"
        state = prefix + "ChannelState"
        callerIDNum = prefix + "CallerIDNum"
        callerIDName = prefix + "CallerIDName"
        exten = prefix + "Exten"
    }

    static let plain = ChannelFields(prefix: "")
    static let dest = ChannelFields(prefix: "Dest")
    /// `Pickup`: the ringing channel that was picked up.
    static let target = ChannelFields(prefix: "Target")
    /// `ParkedCall`, `UnParkedCall`: the parked channel.
    static let parkee = ChannelFields(prefix: "Parkee")
    /// `UnParkedCall`: the channel that retrieved the parked call.
    static let retriever = ChannelFields(prefix: "Retriever")
}
