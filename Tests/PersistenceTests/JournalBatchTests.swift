import CallTracking
import Foundation
import Persistence
import Testing

@Suite("Journal batches: coalescing and the order of callback decisions")
struct JournalBatchTests {
    let t0 = Date(timeIntervalSince1970: 1_795_358_807)

    func call(_ index: Int, status: CallStatus = .missed, at offset: Double = 0) -> CallRecord {
        var record = CallRecord(pbx: "main", linkedid: "1795358807.\(index)", direction: .inbound, startedAt: t0 + Double(index))
        record.status = status
        record.lastEventAt = t0 + Double(index) + offset
        return record
    }

    func key(_ index: Int) -> CallKey { CallKey(pbx: "main", linkedid: "1795358807.\(index)") }

    /// A missed call opens a task that a later answered call closes. When the batch holding the missed call waited
    /// in memory (the spool was full) and is merged into the next one, its decision must still come first.
    @Test func decisionsOfAnOlderBatchComeFirstWhenMerged() {
        let open = CallbackDecision.openOrJoin(number: "79161234567", missedAt: t0, deadline: t0 + 3600)
        let close = CallbackDecision.close(number: "79161234567", at: t0 + 60)
        let older = JournalBatch([.finished(call(1), open)])
        var newer = JournalBatch([.finished(call(2, status: .answered), close)])
        newer.merge(older: older)
        #expect(newer.decisions.map(\.decision) == [open, close])
        #expect(newer.callsInDecisionOrder == [key(1), key(2)])
        #expect(newer.updateCount == 2)
    }

    @Test func mergeKeepsTheNewestVersionOfACall() {
        var newer = JournalBatch([.changed(call(1, status: .answered, at: 30))])
        newer.merge(older: JournalBatch([.changed(call(1, status: .inProgress, at: 5))]))
        #expect(newer.records[key(1)]?.status == .answered)
        var stale = JournalBatch([.changed(call(1, status: .inProgress, at: 5))])
        stale.merge(older: JournalBatch([.changed(call(1, status: .answered, at: 30))]))
        #expect(stale.records[key(1)]?.status == .answered)
    }

    @Test func partsKeepTheirCallsDecisionsInOrderAndCallsWithoutDecisionsFollow() {
        let batch = JournalBatch([
            .changed(call(5)),
            .finished(call(3), .openOrJoin(number: "1", missedAt: t0, deadline: t0 + 1)),
            .finished(call(4), .close(number: "1", at: t0 + 2)),
        ])
        #expect(batch.callsInDecisionOrder == [key(3), key(4), key(5)])
        let first = batch.part([key(3)]), rest = batch.part([key(4), key(5)])
        #expect(first.records.keys.sorted { $0.linkedid < $1.linkedid } == [key(3)])
        #expect(first.decisions.map(\.call) == [key(3)])
        #expect(rest.records.count == 2)
        #expect(rest.decisions.map(\.call) == [key(4)])
    }
}
