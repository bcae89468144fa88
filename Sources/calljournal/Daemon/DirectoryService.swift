import LogKeys
import Logging
import Persistence
import ServiceLifecycle
import Synchronization

/// The directory in memory, shared by the FastAGI handlers and the call trackers.
///
/// Readers take the whole snapshot at once; the refresher swaps in a new one. While PostgreSQL is down the last
/// snapshot stays, so routing keeps working.
final class DirectoryHolder: Sendable {
    private let state = Mutex<(version: Int, data: DirectoryData)>((0, DirectoryData()))

    /// The current snapshot and its version (0 until the first load).
    var current: (version: Int, data: DirectoryData) { state.withLock { $0 } }

    func replace(with data: DirectoryData) {
        state.withLock { $0 = ($0.version + 1, data) }
    }
}

/// Keeps the `DirectoryHolder` current: loads at start, reloads at once on `NOTIFY calljournal_directory` (sent by
/// triggers on every directory table) and every `interval` as a safety net.
struct DirectoryRefreshService: Service {
    let client: PostgresClient
    let holder: DirectoryHolder
    let interval: Duration
    let logger: Logger

    func run() async throws {
        var failing = false
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await load()
                if failing { logger.notice("directory refresh works again") }
                failing = false
                try await waitForChange()
            } catch {
                if !failing {
                    logger.error("cannot refresh the directory; routing uses the last snapshot",
                                 metadata: [LogKey.error: "\(error)"])
                }
                failing = true
                try? await Task.sleep(for: .seconds(2))
            }
        }
    }

    /// Loads the whole directory and listens for changes on the same session.
    func load() async throws {
        let data = try await client.withConnection { connection in
            try connection.listen("calljournal_directory")
            return try DirectoryReader(connection: connection).load()
        }
        if data != holder.current.data || holder.current.version == 0 {
            holder.replace(with: data)
            logger.info("directory loaded", metadata: [
                LogKey.employees: "\(data.employees.count)", LogKey.categories: "\(data.categories.count)",
                LogKey.contactPhones: "\(data.contactOwners.count)",
            ])
        }
    }

    /// Returns when a notification arrives or `interval` passes; wakes every second to notice shutdown. After a
    /// notification it waits a further quiet moment (up to `settle`) for the rest of a burst, so that a sync
    /// writing thousands of contacts one transaction at a time costs a few reloads, not one per row.
    private func waitForChange(settle: Duration = .milliseconds(300)) async throws {
        let deadline = ContinuousClock.now + interval
        while ContinuousClock.now < deadline && !Task.isCancelled && !Task.isShuttingDownGracefully {
            let notifications = try await client.withConnection { try $0.waitForNotifications(timeout: .seconds(1)) }
            guard !notifications.isEmpty else { continue }
            let settled = ContinuousClock.now + settle
            while ContinuousClock.now < settled, !Task.isCancelled {
                let more = try await client.withConnection { try $0.waitForNotifications(timeout: .milliseconds(100)) }
                if more.isEmpty { break }
            }
            return
        }
    }
}
