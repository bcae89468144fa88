import Persistence

extension JournalWriter.Configuration {
    /// Reads `journal.batch_size` and `journal.flush_interval_ms` over these settings.
    mutating func read(_ keys: inout ConfigurationKeys) {
        batchSize = keys.int("journal.batch_size", 1 ... 50_000) ?? batchSize
        flushInterval = keys.milliseconds("journal.flush_interval_ms", 1 ... 60_000) ?? flushInterval
    }
}
