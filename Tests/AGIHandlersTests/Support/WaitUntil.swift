/// Polls `condition` every 10 ms until it holds, and fails the test when it still does not after `limit`.
///
/// The limit is generous on purpose: it decides only how long a broken run takes to fail, never whether a correct
/// run on a busy machine passes.
func waitUntil(_ what: String, within limit: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + limit
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw StillWaiting(what: what, limit: limit) }
        try await Task.sleep(for: .milliseconds(10))
    }
}

/// What a test waited for in vain.
struct StillWaiting: Error, CustomStringConvertible {
    let what: String
    let limit: Duration
    var description: String { "still waiting for \(what) after \(limit)" }
}
