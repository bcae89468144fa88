/// One element of ``AMIClient/events``.
///
/// A consumer that keeps a live picture (the call tracker) must treat ``connected(serverVersion:)``
/// and ``eventsDropped(count:)`` alike: events may have been missed, so reconcile (for example
/// with `CoreShowChannels`). A new AMI session starts at the tail of Asterisk's event queue;
/// nothing that happened while disconnected is replayed.
public enum AMIStreamElement: Sendable {
    /// A connection logged in; sent after every connect and reconnect, before its first event.
    case connected(serverVersion: String)
    /// An event from Asterisk.
    case event(AMIEvent)
    /// A logged-in connection ended, and why.
    case disconnected(AMIError)
    /// The consumer fell behind and `count` elements were dropped just before this one.
    case eventsDropped(count: Int)
    /// A list action (``AMIClient/sendList(_:)``) with this `ActionID` completed here, between the events before
    /// and after Asterisk built it: the place to apply its snapshot, so that events older than the list are not
    /// applied on top of it. Sent before `sendList` returns, and never dropped.
    case listCompleted(actionID: String)
}
