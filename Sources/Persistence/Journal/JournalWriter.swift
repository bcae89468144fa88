public import CallTracking
public import Foundation
public import Logging
import Synchronization

/// Carries call updates from the tracker into PostgreSQL without ever making the AMI reader wait, and without
/// losing any of them when PostgreSQL is away.
///
/// - `submit(_:)` never blocks: updates are coalesced per call into the pending batch under a lock.
/// - Every `flushInterval` (or sooner when `batchSize` updates are pending) the pending batch is written in one
///   transaction. When PostgreSQL is unreachable or fails transiently, the batch is appended to the durable spool
///   (fsynced) instead, and the spool drains, oldest first, as soon as PostgreSQL answers again. While the spool
///   holds anything, new batches queue behind it, so changes reach the journal in order.
/// - A batch PostgreSQL rejects for its data (SQLSTATE class 22 or 23) is split call by call; the calls that still
///   fail are quarantined as JSON files with the error, for an operator to inspect, and everything else is written.
/// - When the spool is full, batches stay in memory, coalesced per call, and the log says so loudly.
///
/// The writer runs on its own thread: spool `fsync`s never occupy Swift's cooperative pool.
public actor JournalWriter {
    public struct Configuration: Sendable {
        public var batchSize: Int
        public var flushInterval: Duration
        public var quarantineDirectory: URL

        public init(batchSize: Int = 2000, flushInterval: Duration = .milliseconds(200), quarantineDirectory: URL) {
            self.batchSize = batchSize
            self.flushInterval = flushInterval
            self.quarantineDirectory = quarantineDirectory
        }
    }

    /// Counters and gauges for metrics, read with `statistics`.
    public struct Statistics: Sendable, Equatable {
        public var batchesWritten = 0
        public var callsWritten = 0
        public var updatesReceived = 0
        public var pendingUpdates = 0
        public var spoolBytes = 0
        public var spoolSegments = 0
        public var recordsSpooled = 0
        public var recordsDrained = 0
        public var damagedSpoolBytes = 0
        public var quarantinedCalls = 0
        public var writeFailures = 0
        public var spoolFull = false
        public var lastBatchSeconds = 0.0
    }

    private nonisolated let executor: ThreadExecutor
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private nonisolated let pending = Mutex(JournalBatch())
    private nonisolated let received = Atomic<Int>(0)
    private let client: PostgresClient
    private let spool: Spool
    private let configuration: Configuration
    private let logger: Logger
    private var stats = Statistics()
    private var spoolFullLogged = false
    /// The highest fill level (in tenths of `spool.max_bytes`) already logged, so each step is logged once.
    private var spoolFillLogged = 0
    private var databaseDownLogged = false

    public init(client: PostgresClient, spool: Spool, configuration: Configuration, logger: Logger) {
        self.client = client
        self.spool = spool
        self.configuration = configuration
        self.logger = logger
        executor = ThreadExecutor(name: "calljournal-writer")
    }

    /// Hands updates to the writer. Never blocks and never fails.
    public nonisolated func submit(_ updates: some Sequence<CallUpdate>) {
        var count = 0
        pending.withLock { batch in
            for update in updates {
                batch.add(update)
                count += 1
            }
        }
        received.add(count, ordering: .relaxed)
    }

    /// Updates waiting for the next flush.
    public nonisolated var pendingCount: Int { pending.withLock { $0.updateCount } }

    public var statistics: Statistics {
        var snapshot = stats
        snapshot.updatesReceived = received.load(ordering: .relaxed)
        snapshot.pendingUpdates = pendingCount
        snapshot.spoolBytes = spool.byteCount
        snapshot.spoolSegments = spool.segmentCount
        return snapshot
    }

    /// Flushes until the task is cancelled, then flushes once more (to PostgreSQL or the spool) and returns.
    public func run() async {
        if !spool.isEmpty {
            logger.notice("draining the spool before new calls", metadata: ["bytes": "\(spool.byteCount)"])
        }
        while !Task.isCancelled {
            await flush()
            let deadline = ContinuousClock.now + configuration.flushInterval
            while ContinuousClock.now < deadline, pendingCount < configuration.batchSize, !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
        await flush()
    }

    /// Writes what is pending (and what the spool holds) now.
    public func flush() async {
        await drainSpool()
        let batch = pending.withLock { batch in
            let taken = batch
            batch = JournalBatch()
            return taken
        }
        guard !batch.isEmpty else { return }
        if spool.isEmpty, await write(batch) { return }
        spoolOrKeep(batch)
    }

    // MARK: Writing

    /// Writes a batch; true when it is in PostgreSQL (or quarantined), false when it must be kept for later.
    private func write(_ batch: JournalBatch) async -> Bool {
        let started = ContinuousClock.now
        do {
            try await client.withConnection { connection in try JournalStore(connection: connection).write(batch) }
            stats.batchesWritten += 1
            stats.callsWritten += batch.records.count
            stats.lastBatchSeconds = Self.seconds(ContinuousClock.now - started)
            if databaseDownLogged {
                logger.notice("journal writes resumed")
                databaseDownLogged = false
            }
            return true
        } catch let error as PostgresError where error.isDataError {
            await writeCallByCall(batch, firstError: error)
            return true
        } catch {
            stats.writeFailures += 1
            if !databaseDownLogged {
                logger.error("cannot write the journal; keeping calls in the spool until PostgreSQL answers",
                             metadata: ["error": "\(error)"])
                databaseDownLogged = true
            }
            return false
        }
    }

    /// A batch was rejected for its data: write each call alone and quarantine the ones PostgreSQL still rejects.
    private func writeCallByCall(_ batch: JournalBatch, firstError: PostgresError) async {
        logger.warning("PostgreSQL rejected a journal batch; writing its calls one by one",
                       metadata: ["error": "\(firstError)", "calls": "\(batch.records.count)"])
        for (key, record) in batch.records {
            var single = JournalBatch()
            single.add(.changed(record))
            for decision in batch.decisions where decision.call == key { single.add(.finished(record, decision.decision)) }
            do {
                try await client.withConnection { connection in try JournalStore(connection: connection).write(single) }
                stats.callsWritten += 1
            } catch let error as PostgresError where error.isDataError {
                quarantine(single, key: key, error: error)
            } catch {
                spoolOrKeep(single)
            }
        }
    }

    private func quarantine(_ batch: JournalBatch, key: CallKey, error: PostgresError) {
        stats.quarantinedCalls += 1
        let directory = configuration.quarantineDirectory
        let name = "\(Int(Date().timeIntervalSince1970 * 1000))-\(key.pbx)-\(key.linkedid).json"
            .replacingOccurrences(of: "/", with: "_")
        let path = directory.appendingPathComponent(name)
        let entry = QuarantineEntry(error: error.description, sqlState: error.sqlState, constraint: error.constraint,
                                    batch: batch)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            try encoder.encode(entry).write(to: path, options: .atomic)
            logger.error("call quarantined: PostgreSQL rejects it", metadata: [
                "pbx": "\(key.pbx)", "linkedid": "\(key.linkedid)", "error": "\(error)", "file": "\(path.path)",
            ])
        } catch {
            logger.critical("call quarantined but the quarantine file could not be written; its record follows",
                            metadata: ["linkedid": "\(key.linkedid)", "error": "\(error)", "record": "\(batch.records)"])
        }
    }

    // MARK: Spool

    private func spoolOrKeep(_ batch: JournalBatch) {
        do {
            try spool.append(Array(try JSONEncoder().encode(batch)))
            stats.recordsSpooled += 1
            logSpoolFill()
            stats.spoolFull = false
            spoolFullLogged = false
        } catch SpoolError.full(let limit) {
            stats.spoolFull = true
            if !spoolFullLogged {
                logger.critical("the spool is full; holding calls in memory until PostgreSQL answers",
                                metadata: ["limit": "\(limit)"])
                spoolFullLogged = true
            }
            pending.withLock { $0.merge(batch) }
        } catch let error as SpoolError {
            if case .syncFailed = error {
                logger.critical("\(error)")
                // Like PostgreSQL on an fsync failure: stop rather than guess; systemd restarts the daemon.
                exit(75)
            }
            logger.critical("cannot spool a journal batch; holding it in memory", metadata: ["error": "\(error)"])
            pending.withLock { $0.merge(batch) }
        } catch {
            logger.critical("cannot encode a journal batch for the spool", metadata: ["error": "\(error)"])
            pending.withLock { $0.merge(batch) }
        }
    }

    /// One warning at each 10 % of `spool.max_bytes` the spool passes while it fills; reset once drained.
    private func logSpoolFill() {
        let tenths = spool.byteCount * 10 / max(1, spool.maximumBytes)
        guard tenths > spoolFillLogged else { return }
        spoolFillLogged = tenths
        logger.warning("the spool is filling while PostgreSQL is away", metadata: [
            "percent": "\(tenths * 10)", "bytes": "\(spool.byteCount)", "limit": "\(spool.maximumBytes)",
        ])
    }

    private func drainSpool() async {
        while !spool.isEmpty {
            let segment: SpoolSegment
            do {
                guard let oldest = try spool.oldestSegment() else { return }
                segment = oldest
            } catch {
                logger.critical("cannot read the spool", metadata: ["error": "\(error)"])
                return
            }
            if segment.damagedBytes > 0 {
                stats.damagedSpoolBytes += segment.damagedBytes
                logger.warning("skipped damaged bytes in the spool (a torn write from a crash, or disk damage)",
                               metadata: ["segment": "\(segment.path.lastPathComponent)", "bytes": "\(segment.damagedBytes)"])
            }
            for record in segment.records {
                guard let batch = try? JSONDecoder().decode(JournalBatch.self, from: Data(record)) else {
                    logger.error("skipped an unreadable spool record", metadata: ["segment": "\(segment.path.lastPathComponent)"])
                    continue
                }
                // Leave the segment in place: it is replayed whole next time, and upserts absorb the repeats.
                guard await write(batch) else { return }
                stats.recordsDrained += 1
            }
            do {
                try spool.remove(segment)
            } catch {
                logger.critical("cannot remove a drained spool segment", metadata: ["error": "\(error)"])
                return
            }
            if spool.isEmpty {
                logger.notice("spool drained")
                spoolFillLogged = 0
            }
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// A call PostgreSQL refused, as written to the quarantine directory.
struct QuarantineEntry: Codable {
    var error: String
    var sqlState: String
    var constraint: String?
    var batch: JournalBatch
}
