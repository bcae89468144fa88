import Metrics
import Synchronization

/// Per-PBX counters of the AMI → tracker path, updated by the pipeline's loop.
final class PipelineStatistics: Sendable {
    let pbx: String
    private let counters = Mutex<[String: Counter]>([:])
    private let callsInProgress: Gauge

    init(pbx: String) {
        self.pbx = pbx
        _ = DaemonMetrics.registry
        callsInProgress = Gauge(label: "calljournal_calls_in_progress", dimensions: [("pbx", pbx)])
    }

    func record(event name: String, callsInProgress count: Int) {
        let counter = counters.withLock { counters in
            if let counter = counters[name] { return counter }
            let counter = Counter(label: "calljournal_ami_events_total", dimensions: [("pbx", pbx), ("event", name)])
            counters[name] = counter
            return counter
        }
        counter.increment()
        callsInProgress.record(count)
    }
}
