public import CallTracking
public import Foundation
import LogKeys
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
    private nonisolated let wakeUp = JournalFlushSignal()
    private nonisolated let batchSize: Int
    private let client: PostgresClient
    private let spool: Spool
    private let configuration: Configuration
    private let quarantine: JournalQuarantine
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
    /// Set when an `fsync` of the spool failed: nothing is spooled or written any more, and ``run()`` throws it.
    private var stopped: SpoolError?

    public init(client: PostgresClient, spool: Spool, configuration: Configuration, logger: Logger) {
        self.client = client
        self.spool = spool
        self.configuration = configuration
        self.logger = logger
        batchSize = configuration.batchSize
        quarantine = JournalQuarantine(directory: configuration.quarantineDirectory, logger: logger)
        executor = ThreadExecutor(name: "calljournal-writer")
    }

    /// Hands updates to the writer. Never blocks and never fails; wakes the writer once a batch is full.
    public nonisolated func submit(_ updates: some Sequence<CallUpdate>) {
        var count = 0
        let full = pending.withLock { batch in
            for update in updates {
                batch.add(update)
                count += 1
            }
            return batch.updateCount >= batchSize
        }
        received.add(count, ordering: .relaxed)
        if full { wakeUp.ring() }
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

    /// Flushes every `flushInterval` (sooner when a batch is full) until the task is cancelled, then flushes once more
    /// (to PostgreSQL or the spool) and returns.
    ///
    /// Throws ``SpoolError/syncFailed(path:reason:)`` when an `fsync` of the spool failed: like PostgreSQL, the
    /// writer does not guess what reached the disk. The caller ends the process (and systemd restarts it); the
    /// updates not yet in PostgreSQL are in the spool up to the last good `fsync`, or still with the tracker's AMI
    /// session, which the restart reconciles.
    public func run() async throws(SpoolError) {
        if !spool.isEmpty {
            logger.notice("draining the spool before new calls", metadata: [LogKey.bytes: "\(spool.byteCount)"])
        }
        while !Task.isCancelled {
            await flush()
            if let stopped { throw stopped }
            await wakeUp.wait(atMost: configuration.flushInterval)
        }
        await flush()
        if let stopped { throw stopped }
    }

    /// Writes what is pending now, after draining the spool for up to a second (whole segments, at least one). While
    /// the spool is not empty, the pending batch is appended to it (behind what is there, so changes keep their
    /// order) rather than held in memory for the length of a long drain. A flush already running is waited for,
    /// never run beside.
    public func flush() async {
        await takeFlushTurn()
        defer { endFlushTurn() }
        await flushInTurn()
    }

    /// After a (re)connect: flushes what the writer holds, so that the final versions of calls reach the journal
    /// first, then closes the calls the journal still shows in progress for `pbx` but Asterisk no longer has (they
    /// ended while no daemon was connected). Returns how many it closed.
    public func closeCallsEndedWhileDown(pbx: String, liveLinkedids: [String]) async throws -> Int {
        await takeFlushTurn()
        defer { endFlushTurn() }
        await flushInTurn()
        return try await client.withConnection { connection in
            try JournalStore(connection: connection).closeCallsEndedWhileDown(pbx: pbx, liveLinkedids: liveLinkedids)
        }
    }

    private func takeFlushTurn() async {
        while flushing { await withCheckedContinuation { flushWaiters.append($0) } }
        flushing = true
    }

    private func endFlushTurn() {
        flushing = false
        if !flushWaiters.isEmpty { flushWaiters.removeFirst().resume() }
    }

    private func flushInTurn() async {
        guard stopped == nil else { return }
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
            stats.lastBatchSeconds = (ContinuousClock.now - started) / .seconds(1)
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
                             metadata: [LogKey.error: "\(error)"])
                databaseDownLogged = true
            }
            return false
        }
    }

    /// A batch was rejected for its data, or was over a limit of one statement: write each call alone and quarantine
    /// the ones PostgreSQL still rejects.
    private func writeCallByCall(_ batch: JournalBatch, firstError: PostgresError) async {
        logger.warning("PostgreSQL rejected a journal batch; writing its calls one by one",
                       metadata: [LogKey.error: "\(firstError)", LogKey.calls: "\(batch.records.count)"])
        // In the order of the callback decisions: a task must be opened before a later call can close it.
        for key in batch.callsInDecisionOrder {
            let single = batch.part([key])
            do {
                try await client.withConnection { connection in try JournalStore(connection: connection).write(single) }
                stats.callsWritten += 1
            } catch let error as PostgresError where error.isDataError || (error.isStatementLimit && error.sqlState != "57014") {
                // A single call PostgreSQL refuses for its data, or that alone is over a limit: it would block the
                // spool for good. A statement timeout alone may be a lock held elsewhere: that one is retried.
                stats.quarantinedCalls += 1
                quarantine.keep(single, key: key, error: error)
            } catch {
                spoolOrKeep(single)
            }
        }
    }

    // MARK: Spool

    private func spoolOrKeep(_ batch: JournalBatch) {
        guard stopped == nil else { return keepInMemory(batch) }
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
                                metadata: [LogKey.limit: "\(limit)"])
                spoolFullLogged = true
            }
            keepInMemory(batch)
        } catch let error as SpoolError {
            if case .syncFailed = error {
                // Like PostgreSQL on an fsync failure: stop rather than guess; `run()` ends the writer with it.
                logger.critical("\(error)")
                stopped = error
                wakeUp.ring()
            } else {
                logger.critical("cannot spool a journal batch; holding it in memory", metadata: [LogKey.error: "\(error)"])
            }
            keepInMemory(batch)
        } catch {
            logger.critical("cannot encode a journal batch for the spool", metadata: [LogKey.error: "\(error)"])
            keepInMemory(batch)
        }
    }

    private func keepInMemory(_ batch: JournalBatch) {
        pending.withLock { $0.merge(older: batch) }
    }

    /// One warning at each 10 % of `spool.max_bytes` the spool passes while it fills; reset once drained.
    private func logSpoolFill() {
        let tenths = spool.byteCount * 10 / max(1, spool.maximumBytes)
        guard tenths > spoolFillLogged else { return }
        spoolFillLogged = tenths
        logger.warning("the spool is filling while PostgreSQL is away", metadata: [
            LogKey.percent: "\(tenths * 10)", LogKey.bytes: "\(spool.byteCount)", LogKey.limit: "\(spool.maximumBytes)",
        ])
    }

    /// Replays the spool for up to `budget` (see ``SpoolDrain``): each record is a batch, written like a new one; a
    /// record that does not decode is quarantined byte for byte.
    private func drainSpool(for budget: Duration) async {
        guard !spool.isEmpty else { return }
        let summary = await SpoolDrain(spool: spool, logger: logger).drain(for: budget) { record, segment, index in
            guard let batch = try? JSONDecoder().decode(JournalBatch.self, from: Data(record)) else {
                guard quarantine.keepUnreadable(record, segment: segment, index: index) else { return false }
                stats.quarantinedCalls += 1
                return true
            }
            guard await write(batch) else { return false }
            stats.recordsDrained += 1
            return true
        }
        stats.damagedSpoolBytes += summary.damagedBytes
        if summary.emptied { spoolFillLogged = 0 }
    }
}
