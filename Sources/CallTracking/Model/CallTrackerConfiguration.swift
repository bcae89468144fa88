/// Settings of the call tracker (the `journal` section of the configuration).
public struct CallTrackerConfiguration: Sendable, Hashable {
    /// The PBX name written into every record.
    public var pbx: String
    /// An answered call with at least this much talk is a target call.
    public var targetMinTalkSeconds: Double
    /// A callback task for a missed call is due this many seconds after the miss.
    public var callbackDeadlineSeconds: Double
    /// Whether an inbound call from a client's number that never rang anyone (it only reached an IVR, voicemail or
    /// a closed-hours message) opens a callback task.
    public var callbackForUnattended: Bool

    public init(
        pbx: String, targetMinTalkSeconds: Double = 30, callbackDeadlineSeconds: Double = 4 * 3600,
        callbackForUnattended: Bool = true
    ) {
        self.pbx = pbx
        self.targetMinTalkSeconds = targetMinTalkSeconds
        self.callbackDeadlineSeconds = callbackDeadlineSeconds
        self.callbackForUnattended = callbackForUnattended
    }
}
