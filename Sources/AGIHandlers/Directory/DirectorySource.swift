/// Where handlers get the current directory from.
///
/// Implementations keep the last good snapshot in memory and replace it when the directory
/// changes, so `current()` answers at once and keeps answering while the database is down.
public protocol DirectorySource: Sendable {
    func current() async -> DirectorySnapshot
}

/// A directory source that can also hand out its snapshot without suspending: the snapshot is
/// held in memory behind a lock or in an immutable value.
///
/// Adopting it lets `route` answer on the connection's event loop with no task involved (see
/// ``AGIPlannedScriptHandler``); a source that only conforms to ``DirectorySource`` still
/// works, through the async session. `currentSnapshot()` is called on an event loop and must
/// not block on I/O: hold the lock only to copy the snapshot out.
public protocol SynchronousDirectorySource: DirectorySource {
    func currentSnapshot() -> DirectorySnapshot
}

/// A directory that never changes: for tests, benchmarks and `check-config` style dry runs.
public struct StaticDirectorySource: SynchronousDirectorySource {
    public let snapshot: DirectorySnapshot

    public init(_ snapshot: DirectorySnapshot) {
        self.snapshot = snapshot
    }

    public func current() async -> DirectorySnapshot { snapshot }

    public func currentSnapshot() -> DirectorySnapshot { snapshot }
}
