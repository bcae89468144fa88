/// Settings of the call tracker (the `journal` section of the configuration).
public struct CallTrackerConfiguration: Sendable, Hashable {
    /// The PBX name written into every record.
    public var pbx: String
    /// An answered call with at least this much talk is a target call.
    public var targetMinTalkSeconds: Double
    /// A callback task for a missed call is due this many seconds after the miss.
    public var callbackDeadlineSeconds: Double

    public init(pbx: String, targetMinTalkSeconds: Double = 30, callbackDeadlineSeconds: Double = 4 * 3600) {
        self.pbx = pbx
        self.targetMinTalkSeconds = targetMinTalkSeconds
        self.callbackDeadlineSeconds = callbackDeadlineSeconds
    }
}
