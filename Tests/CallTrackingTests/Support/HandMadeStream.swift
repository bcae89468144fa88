import AMIModel
import Foundation

/// AMI events written by hand for call flows no recording covers, in the shapes Asterisk's source gives them: the
/// standard channel block of `main/manager_channels.c` (`ast_manager_build_channel_state_string_prefix`: Channel,
/// ChannelState, ChannelStateDesc, CallerIDNum, CallerIDName, ConnectedLineNum, ConnectedLineName, Language,
/// AccountCode, Context, Exten, Priority, Uniqueid, Linkedid), with a prefix for the second channel of an event.
struct HandMadeStream {
    /// One channel as the events describe it.
    struct Channel {
        var name: String
        var uniqueid: String
        var linkedid: String
        var callerID: String
        var context: String
        var exten: String
        var state = 0
    }

    private(set) var events: [AMIMessage] = []
    /// Seconds since the epoch of the next event.
    var clock: Double = 1_800_000_000

    mutating func at(_ seconds: Double) {
        clock = 1_800_000_000 + seconds
    }

    static func block(_ channel: Channel, prefix: String = "") -> [(key: String, value: String)] {
        let states = [0: "Down", 4: "Ring", 5: "Ringing", 6: "Up"]
        return [
            (prefix + "Channel", channel.name), (prefix + "ChannelState", String(channel.state)),
            (prefix + "ChannelStateDesc", states[channel.state] ?? "Unknown"), (prefix + "CallerIDNum", channel.callerID),
            (prefix + "CallerIDName", "<unknown>"), (prefix + "ConnectedLineNum", "<unknown>"),
            (prefix + "ConnectedLineName", "<unknown>"), (prefix + "Language", "en"), (prefix + "AccountCode", ""),
            (prefix + "Context", channel.context), (prefix + "Exten", channel.exten), (prefix + "Priority", "1"),
            (prefix + "Uniqueid", channel.uniqueid), (prefix + "Linkedid", channel.linkedid),
        ]
    }

    /// An event about `channel` (and `other`, with its prefix), with extra fields after the blocks.
    mutating func emit(
        _ name: String, _ channel: Channel? = nil, _ other: (prefix: String, channel: Channel)? = nil,
        _ extra: [(key: String, value: String)] = []
    ) {
        var fields: [(key: String, value: String)] = [
            ("Event", name), ("Privilege", "call,all"), ("Timestamp", String(format: "%.6f", clock)),
        ]
        if let channel { fields += Self.block(channel) }
        if let other { fields += Self.block(other.channel, prefix: other.prefix) }
        events.append(AMIMessage(fields + extra))
    }
}
