/// Where handlers get the current directory from.
///
/// Implementations keep the last good snapshot in memory and replace it when the directory
/// changes, so `current()` answers at once and keeps answering while the database is down.
public protocol DirectorySource: Sendable {
    func current() async -> DirectorySnapshot
}

/// A directory that never changes: for tests, benchmarks and `check-config` style dry runs.
public struct StaticDirectorySource: DirectorySource {
    public let snapshot: DirectorySnapshot

    public init(_ snapshot: DirectorySnapshot) {
        self.snapshot = snapshot
    }

    public func current() async -> DirectorySnapshot { snapshot }
}
