import LogKeys
import Logging

/// Replays the spool into PostgreSQL, oldest segment first, each segment removed only once every record in it was
/// taken care of.
///
/// ```
/// oldestSegment ──record──▶ replay ──true──▶ next record … ──last──▶ remove segment ──▶ next segment
///                              │
///                              └──false (PostgreSQL failed again) / cancelled ──▶ abandonDrain: the segment is
///                                  given back whole and replayed next time; the journal's upserts absorb the
///                                  records already written
/// ```
///
/// What a record means, and where it goes, is the caller's business (`replay`); the drain only walks the segments.
struct SpoolDrain {
    /// What one drain did.
    struct Summary {
        /// Bytes skipped in the segments read because they did not form an intact record.
        var damagedBytes = 0
        /// Whether this drain emptied the spool.
        var emptied = false
    }

    let spool: Spool
    let logger: Logger

    /// Drains until the spool is empty or `budget` has passed (a segment begun is finished), stopping early when
    /// `replay` returns false or the task is cancelled (shutdown).
    func drain(
        for budget: Duration, isolation: isolated (any Actor)? = #isolation, replay: (_ record: [UInt8], _ segment: SpoolSegment, _ index: Int) async -> Bool
    ) async -> Summary {
        var summary = Summary()
        let deadline = ContinuousClock.now + budget
        while !spool.isEmpty, ContinuousClock.now < deadline, !Task.isCancelled {
            let segment: SpoolSegment
            do {
                guard let oldest = try spool.oldestSegment() else { return summary }
                segment = oldest
            } catch {
                spool.abandonDrain()
                logger.critical("cannot read the spool", metadata: [LogKey.error: "\(error)"])
                return summary
            }
            if segment.damagedBytes > 0 {
                summary.damagedBytes += segment.damagedBytes
                logger.warning("skipped damaged bytes in the spool (a torn write from a crash, or disk damage)", metadata: [
                    LogKey.segment: "\(segment.path.lastPathComponent)", LogKey.bytes: "\(segment.damagedBytes)",
                ])
            }
            for (index, record) in segment.records.enumerated() {
                guard !Task.isCancelled, await replay(record, segment, index) else {
                    spool.abandonDrain()
                    return summary
                }
            }
            do {
                try spool.remove(segment)
            } catch {
                spool.abandonDrain()
                logger.critical("cannot remove a drained spool segment", metadata: [LogKey.error: "\(error)"])
                return summary
            }
            if spool.isEmpty {
                logger.notice("spool drained")
                summary.emptied = true
            }
        }
        return summary
    }
}
