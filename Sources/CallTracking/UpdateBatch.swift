/// Collects what one input (an event, a reconcile) did to calls, and turns it into updates with one entry per call:
/// `started` for a call that appeared, `changed` for one whose journal row changed, `finished` when it ended.
///
/// Started and changed records are taken at the end of the input, so they show its full effect.
struct UpdateBatch {
    private enum Mark {
        case started(String)
        case changed(String)
        case finished(CallRecord, CallbackDecision)
    }

    private var marks: [Mark] = []

    mutating func started(_ linkedid: String) {
        marks.append(.started(linkedid))
    }

    mutating func changed(_ linkedid: String) {
        for mark in marks {
            switch mark {
            case .started(let id), .changed(let id): if id == linkedid { return }
            case .finished: continue
            }
        }
        marks.append(.changed(linkedid))
    }

    /// A call left without a journal row: drop any mark for it.
    mutating func forget(_ linkedid: String) {
        marks.removeAll {
            switch $0 {
            case .started(let id), .changed(let id): id == linkedid
            case .finished: false
            }
        }
    }

    /// A call ended: earlier marks for it are dropped, the final record carries everything.
    mutating func finished(_ record: CallRecord, _ decision: CallbackDecision) {
        marks.removeAll {
            switch $0 {
            case .started(let id), .changed(let id): id == record.linkedid
            case .finished: false
            }
        }
        marks.append(.finished(record, decision))
    }

    /// The updates, reading started and changed records from the calls still in progress.
    func updates(calls: [String: TrackedCall]) -> [CallUpdate] {
        if marks.isEmpty { return [] }
        var updates: [CallUpdate] = []
        updates.reserveCapacity(marks.count)
        for mark in marks {
            switch mark {
            case .started(let id):
                if let record = calls[id]?.record { updates.append(.started(record)) }
            case .changed(let id):
                if let record = calls[id]?.record { updates.append(.changed(record)) }
            case .finished(let record, let decision):
                updates.append(.finished(record, decision))
            }
        }
        return updates
    }
}
