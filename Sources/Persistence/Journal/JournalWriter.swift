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
/// - A batch PostgreSQL rejects for its data (SQLSTATE class 22 or 23), or that is over a limit of one statement
///   (class 54, or 57014 `statement_timeout`), is split call by call; the calls that still fail for their data or a
///   limit are quarantined as JSON files with the error, for an operator to inspect, and everything else is written.
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
    /// One flush at a time: a flush suspends while it writes, and a second one (a reconcile's) must not drain the
    /// same spool segment beside it.
    private var flushing = false
    private var flushWaiters: [CheckedContinuation<Void, Never>] = []

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

    /// Writes what is pending now, after draining the spool for up to a second (whole segments, at least one). While
    /// the spool is not empty, the pending batch is appended to it (behind what is there, so changes keep their
    /// order) rather than held in memory for the length of a long drain. A flush already running is waited for,
    /// never run beside.
    public func flush() async {
        while flushing { await withCheckedContinuation { flushWaiters.append($0) } }
        flushing = true
        defer {
            flushing = false
            if !flushWaiters.isEmpty { flushWaiters.removeFirst().resume() }
        }
        await drainSpool(for: .seconds(1))
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
        } catch let error as PostgresError where error.isDataError || (error.isStatementLimit && batch.records.count > 1) {
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

    /// A batch was rejected for its data, or was over a limit of one statement: write each call alone and quarantine
    /// the ones PostgreSQL still rejects.
    private func writeCallByCall(_ batch: JournalBatch, firstError: PostgresError) async {
        logger.warning("PostgreSQL rejected a journal batch; writing its calls one by one",
                       metadata: ["error": "\(firstError)", "calls": "\(batch.records.count)"])
        // In the order of the callback decisions: a task must be opened before a later call can close it.
        for key in batch.callsInDecisionOrder {
            let single = batch.part([key])
            do {
                try await client.withConnection { connection in try JournalStore(connection: connection).write(single) }
                stats.callsWritten += 1
            } catch let error as PostgresError where error.isDataError || (error.isStatementLimit && error.sqlState != "57014") {
                // A single call PostgreSQL refuses for its data, or that alone is over a limit: it would block the
                // spool for good. A statement timeout alone may be a lock held elsewhere: that one is retried.
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
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            try Self.writeDurably(try encoder.encode(entry), to: path)
            logger.error("call quarantined: PostgreSQL rejects it", metadata: [
                "pbx": "\(key.pbx)", "linkedid": "\(key.linkedid)", "error": "\(error)", "file": "\(path.path)",
            ])
        } catch {
            logger.critical("call quarantined but the quarantine file could not be written; its record follows",
                            metadata: ["linkedid": "\(key.linkedid)", "error": "\(error)", "record": "\(batch.records)"])
        }
    }

    /// A spool record that passed its checksum but does not decode (written by a version of calljournal with another
    /// record format): kept, byte for byte, in the quarantine directory before its segment is removed. Returns false
    /// when even that failed, and the segment must stay.
    private func quarantineUnreadable(_ record: [UInt8], segment: SpoolSegment, index: Int) -> Bool {
        let name = "\(Int(Date().timeIntervalSince1970 * 1000))-spool-\(segment.path.deletingPathExtension().lastPathComponent)-\(index).record"
        let path = configuration.quarantineDirectory.appendingPathComponent(name)
        do {
            try Self.writeDurably(Data(record), to: path)
            stats.quarantinedCalls += 1
            logger.error("a spool record could not be read; kept in the quarantine directory", metadata: [
                "segment": "\(segment.path.lastPathComponent)", "file": "\(path.path)", "bytes": "\(record.count)",
            ])
            return true
        } catch {
            logger.critical("a spool record could not be read nor quarantined; its segment stays in the spool",
                            metadata: ["segment": "\(segment.path.lastPathComponent)", "error": "\(error)"])
            return false
        }
    }

    /// Writes a file and fsyncs it and its directory, so that it outlives a crash before anything that relies on it
    /// (removing the spool segment that held its call).
    private static func writeDurably(_ data: Data, to path: URL) throws {
        let directory = path.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try data.write(to: path)
        let file = try FileHandle(forUpdating: path)
        defer { try? file.close() }
        try file.synchronize()
        try Spool.synchronizeDirectory(directory)
    }

    // MARK: Spool

    private func spoolOrKeep(_ batch: JournalBatch) {
        do {
            let record = Array(try JSONEncoder().encode(batch))
            let calls = batch.callsInDecisionOrder
            if record.count > Spool.maximumRecordBytes, calls.count > 1 {
                // Too large for one record (a batch held in memory through a long outage): spool it in two parts, in
                // the order of its callback decisions.
                spoolOrKeep(batch.part(calls.prefix(calls.count / 2)))
                spoolOrKeep(batch.part(calls.dropFirst(calls.count / 2)))
                return
            }
            try spool.append(record)
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
            pending.withLock { $0.merge(older: batch) }
        } catch let error as SpoolError {
            if case .syncFailed = error {
                logger.critical("\(error)")
                // Like PostgreSQL on an fsync failure: stop rather than guess; systemd restarts the daemon.
                exit(75)
            }
            logger.critical("cannot spool a journal batch; holding it in memory", metadata: ["error": "\(error)"])
            pending.withLock { $0.merge(older: batch) }
        } catch {
            logger.critical("cannot encode a journal batch for the spool", metadata: ["error": "\(error)"])
            pending.withLock { $0.merge(older: batch) }
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

    /// Writes spool segments to PostgreSQL, oldest first, each removed once all its records are in, until the spool
    /// is empty or `budget` has passed (a segment begun is finished). Stops early when PostgreSQL fails again or the
    /// task is cancelled (shutdown): the segment is then given back whole, to be replayed next time; the journal's
    /// upserts absorb the records already written.
    private func drainSpool(for budget: Duration) async {
        let deadline = ContinuousClock.now + budget
        while !spool.isEmpty, ContinuousClock.now < deadline, !Task.isCancelled {
            let segment: SpoolSegment
            do {
                guard let oldest = try spool.oldestSegment() else { return }
                segment = oldest
            } catch {
                spool.abandonDrain()
                logger.critical("cannot read the spool", metadata: ["error": "\(error)"])
                return
            }
            if segment.damagedBytes > 0 {
                stats.damagedSpoolBytes += segment.damagedBytes
                logger.warning("skipped damaged bytes in the spool (a torn write from a crash, or disk damage)",
                               metadata: ["segment": "\(segment.path.lastPathComponent)", "bytes": "\(segment.damagedBytes)"])
            }
            for (index, record) in segment.records.enumerated() {
                guard !Task.isCancelled else { return spool.abandonDrain() }
                guard let batch = try? JSONDecoder().decode(JournalBatch.self, from: Data(record)) else {
                    guard quarantineUnreadable(record, segment: segment, index: index) else { return spool.abandonDrain() }
                    continue
                }
                guard await write(batch) else { return spool.abandonDrain() }
                stats.recordsDrained += 1
            }
            do {
                try spool.remove(segment)
            } catch {
                spool.abandonDrain()
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
