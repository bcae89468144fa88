import AGIHandlers
import AMIClient
import Metrics
import Persistence
import ServiceLifecycle

/// Copies the counters the components keep (AMI clients, the journal writer, the FastAGI server) into Prometheus
/// metrics every few seconds, so the hot paths never touch the metrics system.
struct MetricsPollerService: Service {
    let amiClients: [AMIClient]
    let writer: JournalWriter
    let agiMetrics: AGIServerMetrics
    let interval: Duration

    func run() async throws {
        _ = DaemonMetrics.registry
        let exporter = self
        try? await cancelWhenGracefulShutdown {
            var state = ExportState()
            while true {
                await exporter.export(into: &state)
                try await Task.sleep(for: exporter.interval)
            }
        }
    }

    /// Counter totals already exported, to turn the components' running totals into increments.
    struct ExportState {
        var previous: [String: Int] = [:]

        mutating func count(_ label: String, _ dimensions: [(String, String)] = [], total: Int) {
            let key = label + dimensions.map { "|\($0.0)=\($0.1)" }.joined()
            let delta = total - previous[key, default: 0]
            if delta > 0 { Counter(label: label, dimensions: dimensions).increment(by: delta) }
            previous[key] = total
        }

        func gauge(_ label: String, _ dimensions: [(String, String)] = [], _ value: Double) {
            Gauge(label: label, dimensions: dimensions).record(value)
        }
    }

    private func export(into state: inout ExportState) async {
        for client in amiClients {
            let pbx = [("pbx", client.configuration.pbx)]
            let metrics = client.metrics
            state.gauge("calljournal_ami_connected", pbx, metrics.isConnected ? 1 : 0)
            state.count("calljournal_ami_reconnects_total", pbx, total: metrics.reconnects)
            state.count("calljournal_ami_connect_failures_total", pbx, total: metrics.failedAttempts)
            state.count("calljournal_ami_authentication_failures_total", pbx, total: metrics.authenticationFailures)
            state.count("calljournal_ami_events_dropped_total", pbx, total: metrics.eventsDropped)
            state.count("calljournal_ami_frames_rejected_total", pbx, total: metrics.rejectedFrames)
            state.count("calljournal_ami_action_timeouts_total", pbx, total: metrics.actionTimeouts)
        }
        let journal = await writer.statistics
        state.gauge("calljournal_writer_queue_updates", [], Double(journal.pendingUpdates))
        state.gauge("calljournal_writer_last_batch_seconds", [], journal.lastBatchSeconds)
        state.count("calljournal_writer_batches_total", total: journal.batchesWritten)
        state.count("calljournal_writer_calls_written_total", total: journal.callsWritten)
        state.count("calljournal_postgres_errors_total", total: journal.writeFailures)
        state.gauge("calljournal_spool_bytes", [], Double(journal.spoolBytes))
        state.gauge("calljournal_spool_segments", [], Double(journal.spoolSegments))
        state.gauge("calljournal_spool_full", [], journal.spoolFull ? 1 : 0)
        state.count("calljournal_spool_records_written_total", total: journal.recordsSpooled)
        state.count("calljournal_spool_records_drained_total", total: journal.recordsDrained)
        state.count("calljournal_spool_damaged_bytes_total", total: journal.damagedSpoolBytes)
        state.count("calljournal_quarantined_calls_total", total: journal.quarantinedCalls)
        let agi = agiMetrics.snapshot()
        state.gauge("calljournal_fastagi_sessions_active", [], Double(agi.activeSessions))
        for (script, total) in agi.sessionsByScript {
            state.count("calljournal_fastagi_sessions_total", [("script", script)], total: total)
        }
        state.count("calljournal_fastagi_refused_total", [("reason", "allowlist")], total: agi.refusedByAllowlist)
        state.count("calljournal_fastagi_refused_total", [("reason", "capacity")], total: agi.refusedOverCapacity)
        for (failure, total) in agi.failures {
            state.count("calljournal_fastagi_failures_total", [("kind", failure)], total: total)
        }
        // Cumulative buckets with an `le` label, as a Prometheus histogram: histogram_quantile() works on them.
        for (script, histogram) in agi.latencyByScript {
            var cumulative = 0
            for (index, bound) in (AGILatencyHistogram.bucketBounds.map(Optional.some) + [nil]).enumerated() {
                cumulative += histogram.counts[index]
                let le = bound.map { String($0 / .seconds(1)) } ?? "+Inf"
                state.count("calljournal_fastagi_session_duration_seconds_bucket", [("script", script), ("le", le)],
                            total: cumulative)
            }
            state.count("calljournal_fastagi_session_duration_seconds_count", [("script", script)], total: histogram.count)
            state.gauge("calljournal_fastagi_session_duration_seconds_sum", [("script", script)], histogram.sum / .seconds(1))
        }
    }
}
