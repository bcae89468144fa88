import Persistence
import ServiceLifecycle

/// Runs the journal writer until shutdown, then lets it flush once more. A failed spool `fsync` ends it with
/// ``SpoolError/syncFailed(path:reason:)``, which ends the service group and `serve` (exit code 75).
struct JournalWriterService: Service {
    let writer: JournalWriter

    func run() async throws {
        let writer = self.writer
        try await cancelWhenGracefulShutdown { try await writer.run() }
    }
}
