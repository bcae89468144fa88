public import AMIModel
public import Foundation

/// An event received from one Asterisk, as handed to consumers of ``AMIClient/events``.
public struct AMIEvent: Sendable {
    /// The configured name of the Asterisk it came from (``AMIClientConfiguration/pbx``).
    public var pbx: String
    /// The `Event` field, e.g. `Newchannel`, `Hangup`, `CEL`.
    public var name: String
    /// Every field as Asterisk sent it.
    public var message: AMIMessage
    /// When the client decoded it (wall clock).
    public var receivedAt: Date

    public init(pbx: String, name: String, message: AMIMessage, receivedAt: Date) {
        self.pbx = pbx
        self.name = name
        self.message = message
        self.receivedAt = receivedAt
    }

    /// The event's `Timestamp` field (seconds since the Unix epoch, with microseconds), present
    /// when manager.conf has `timestampevents = yes`. Prefer it to ``receivedAt`` for durations.
    public var timestamp: Double? { message["Timestamp"].flatMap(Double.init) }

    /// The value of the first field named `key`, ignoring ASCII case.
    public subscript(key: String) -> String? { message[key] }
}
