import AMIModel

/// The AMI events the tracker acts on.
///
/// Recognised from the `Event` header alone, except `VarSet` (only the recording variables matter) and `CEL` (only
/// the end of a channel and of a Linkedid). Everything else — `Newexten`, `RTCPSent`, `DeviceStateChange`, the many
/// other `VarSet`s, which together are most of the stream — is dropped here before any other field is read.
enum TrackedEvent: Sendable {
    case newChannel
    case newState
    case dialBegin
    case dialEnd
    case bridgeEnter
    case bridgeLeave
    /// The far end of the channel hung up (SIP BYE, CANCEL or a final error response).
    case hangupRequest
    /// Asterisk itself asked the channel to hang up (dialplan `Hangup()`, Dial timeout, transfer).
    case softHangupRequest
    case hangup
    case blindTransfer
    case attendedTransfer
    case queueCallerJoin
    case agentConnect
    /// `VarSet` of `MIXMONITOR_FILENAME` (set by MixMonitor itself) or `RECORDING_FILE` (the dialplan's name for it).
    case recordingVariable(fromMixMonitor: Bool)
    case cdr
    /// CEL `HANGUP` or `CHAN_END`: the channel is being destroyed. Its AMI `Hangup` can come after the call's
    /// `LINKEDID_END` (trace S10).
    case channelEnding
    /// CEL `LINKEDID_END`: no channel carries this Linkedid any more.
    case linkedidEnded

    init?(_ message: AMIMessage) {
        guard let name = message["Event"] else { return nil }
        switch name {
        case "VarSet":
            switch message["Variable"] {
            case "MIXMONITOR_FILENAME": self = .recordingVariable(fromMixMonitor: true)
            case "RECORDING_FILE": self = .recordingVariable(fromMixMonitor: false)
            default: return nil
            }
        case "CEL":
            switch message["EventName"] {
            case "HANGUP", "CHAN_END": self = .channelEnding
            case "LINKEDID_END": self = .linkedidEnded
            default: return nil
            }
        case "Newchannel": self = .newChannel
        case "Newstate": self = .newState
        case "DialBegin": self = .dialBegin
        case "DialEnd": self = .dialEnd
        case "BridgeEnter": self = .bridgeEnter
        case "BridgeLeave": self = .bridgeLeave
        case "HangupRequest": self = .hangupRequest
        case "SoftHangupRequest": self = .softHangupRequest
        case "Hangup": self = .hangup
        case "BlindTransfer": self = .blindTransfer
        case "AttendedTransfer": self = .attendedTransfer
        case "QueueCallerJoin": self = .queueCallerJoin
        case "AgentConnect": self = .agentConnect
        case "Cdr": self = .cdr
        default: return nil
        }
    }
}
