import PBXSimulator
import Testing

extension AMITimeline {
    /// The calls the daemon could not have journaled when it kept everything up to `gapStart` (an event number) and
    /// came back as the second AMI session: those that began at or after `gapStart` and before that login, and were
    /// over when the session listed the live channels. A call that began later it saw from its first event; one
    /// that began earlier it had kept; one still live at the listing it adopted.
    func callsInsideGap(startingAt gapStart: Int) throws -> Set<String> {
        let reconnect = try #require(sessions.dropFirst().first, "the daemon never logged in again: \(sessions)")
        let listing = try #require(reconnect.listings.first, "the second AMI session never listed the live channels")
        let live = Set(listing.linkedids)
        return Set(calls.filter { call in
            !call.absorbed && call.firstEvent >= gapStart && call.firstEvent < reconnect.loginAt && !live.contains(call.linkedid)
        }.map(\.linkedid))
    }
}
