import AMIModel

/// The AMI events the tracker acts on.
///
/// Recognised from the `Event` header alone, except `VarSet` (only the recording variables matter) and `CEL` (only
/// the end of a channel and of a Linkedid). Everything else — `Newexten`, `DeviceStateChange`, the many other
/// `VarSet`s, CEL — is dropped here before any other field is read; RTCP reports only refresh when the call was
/// last seen alive.
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
    /// The caller hung up while waiting in the queue (`Position`, `OriginalPosition`, `HoldTime`; trace S20).
    case queueCallerAbandon
    /// The caller left the queue: answered, abandoned, or timed out (`app_queue.c`).
    case queueCallerLeave
    case agentConnect
    /// Call pickup: `Channel…` is the channel that picked up, `Target…` the ringing one (trace S19).
    case pickup
    /// A call was parked: `Parkee…` is the parked channel (trace S23, `res/parking/parking_manager.c`).
    case parkedCall
    /// A parked call was retrieved: `Parkee…` and `Retriever…` (trace S23).
    case unparkedCall
    /// A channel put the other party on hold (`Hold`), or took it off hold (`Unhold`).
    case hold(Bool)
    /// `VarSet` of `MIXMONITOR_FILENAME` (set by MixMonitor itself) or `RECORDING_FILE` (the dialplan's name for it).
    case recordingVariable(fromMixMonitor: Bool)
    /// `VarSet` of a variable the `route` FastAGI script sets: who the call was meant for.
    case routeVariable(RouteVariable)
    case cdr
    /// CEL `HANGUP` or `CHAN_END`: the channel is being destroyed. Its AMI `Hangup` can come after the call's
    /// `LINKEDID_END` (trace S10).
    case channelEnding
    /// CEL `LINKEDID_END`: no channel carries this Linkedid any more.
    case linkedidEnded
    /// `RTCPSent`, `RTCPReceived`: nothing changes, but the channel is alive now (Asterisk sends a report every few
    /// seconds while media flows). After an AMI outage a call that ended in the gap is taken to have ended at the
    /// last sign of life seen.
    case signOfLife

    /// The `route` script's variables the journal keeps (the first value a call has wins).
    enum RouteVariable: Sendable {
        case employeeID, department, status
    }

    init?(_ message: AMIMessage) {
        guard let name = message["Event"] else { return nil }
        switch name {
        case "VarSet":
            // Most of the stream is VarSet: only names starting with M or R can matter.
            guard let variable = message["Variable"], let first = variable.utf8.first,
                  first == UInt8(ascii: "M") || first == UInt8(ascii: "R") else { return nil }
            switch variable {
            case "MIXMONITOR_FILENAME": self = .recordingVariable(fromMixMonitor: true)
            case "RECORDING_FILE": self = .recordingVariable(fromMixMonitor: false)
            case "ROUTE_EMPLOYEE_ID": self = .routeVariable(.employeeID)
            case "ROUTE_DEPARTMENT": self = .routeVariable(.department)
            case "ROUTE_STATUS": self = .routeVariable(.status)
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
        case "QueueCallerAbandon": self = .queueCallerAbandon
        case "QueueCallerLeave": self = .queueCallerLeave
        case "AgentConnect": self = .agentConnect
        case "Pickup": self = .pickup
        case "ParkedCall": self = .parkedCall
        case "UnParkedCall": self = .unparkedCall
        case "Hold": self = .hold(true)
        case "Unhold": self = .hold(false)
        case "Cdr": self = .cdr
        case "RTCPSent", "RTCPReceived": self = .signOfLife
        default: return nil
        }
    }
}
