/// What the simulated Asterisk sent and to whom: enough for a test to work out which calls a manager could not
/// have seen, from the simulator's own record rather than from timing.
///
/// Events are numbered in the order they were published, from 0. A login, the end of a session and a
/// `CoreShowChannels` answer each sit between two events and are placed by the number of events published before
/// them: a session with `loginAt` 120 received events 120 and later.
public struct AMITimeline: Sendable, Codable, Equatable {
    /// A call, by its Linkedid, and the number of its first event (its first channel's `Newchannel`).
    public struct Call: Sendable, Codable, Equatable {
        public var linkedid: String
        public var firstEvent: Int
        /// Every channel of the call went on to another call: a phone dialled a pickup code or a parking space and
        /// was brought into the call it picked up (S19, S23). A manager journals it as part of that call, not as a
        /// call of its own.
        public var absorbed = false
    }

    /// A manager session that logged in.
    public struct Session: Sendable, Codable, Equatable {
        /// Events published before the login.
        public var loginAt: Int
        /// Events published before the session was dropped, or before the simulator noticed that its connection
        /// had closed; nil while it lasted.
        public var endedAt: Int?
        /// The `CoreShowChannels` answers it received, in order.
        public var listings: [Listing] = []
    }

    /// One `CoreShowChannels` answer.
    public struct Listing: Sendable, Codable, Equatable {
        /// Events published before the answer.
        public var at: Int
        /// The Linkedids of the channels it listed, sorted, each once.
        public var linkedids: [String]
    }

    /// Events published.
    public var events = 0
    /// Sessions in order of login.
    public var sessions: [Session] = []
    /// Calls in order of their first event.
    public var calls: [Call] = []

    public init() {}
}
