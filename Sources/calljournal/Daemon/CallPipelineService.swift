import AMIClient
import AMIModel
import CallTracking
import Foundation
import Logging
import Persistence
import ServiceLifecycle

/// One PBX's journal path: AMI events → call tracker → journal writer.
///
/// The loop never waits on PostgreSQL: `JournalWriter.submit` only takes a lock, so the AMI reader keeps up with
/// Asterisk even while the database is away (Asterisk drops a manager session whose reader falls behind).
/// After every (re)connect, and whenever events were dropped, the live channels are listed with `CoreShowChannels`
/// and the tracker reconciles: calls that ended inside the gap are closed with an explicit mark.
struct CallPipelineService: Service {
    let client: AMIClient
    let writer: JournalWriter
    let journalClient: PostgresClient
    let directory: DirectoryHolder
    let trunks: [String]
    let configuration: CallTrackerConfiguration
    let logger: Logger
    let statistics: PipelineStatistics

    func run() async throws {
        let client = self.client
        // On shutdown the cancellation ends the client and the event stream, which ends `consume`; the writer,
        // shut down after this service, flushes what the tracker handed it.
        let logger = self.logger
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    // The client reconnects on its own; it returns only when cancelled.
                    do { try await client.run() } catch { logger.debug("AMI client ended", metadata: ["error": "\(error)"]) }
                }
                await consume()
                group.cancelAll()
            }
        }
    }

    private func consume() async {
        var directoryVersion = directory.current.version
        var tracker = CallTracker(configuration: configuration,
                                  directory: EndpointDirectory(directory.current.data, trunks: trunks))
        for await element in client.events {
            let current = directory.current
            if current.version != directoryVersion {
                tracker.updateDirectory(EndpointDirectory(current.data, trunks: trunks))
                directoryVersion = current.version
            }
            switch element {
            case .event(let event):
                let updates = tracker.handle(event.message, receivedAt: event.receivedAt)
                if !updates.isEmpty { writer.submit(updates) }
                statistics.record(event: event.name, callsInProgress: tracker.callsInProgress)
            case .connected(let version):
                logger.info("AMI connected; reconciling calls in progress", metadata: ["pbx": "\(configuration.pbx)",
                                                                                      "asterisk": "\(version)"])
                await reconcile(&tracker, closingJournalCalls: true)
            case .eventsDropped(let count):
                logger.error("AMI events were dropped; reconciling calls in progress",
                             metadata: ["pbx": "\(configuration.pbx)", "dropped": "\(count)"])
                await reconcile(&tracker, closingJournalCalls: false)
            case .disconnected(let error):
                logger.warning("AMI disconnected", metadata: ["pbx": "\(configuration.pbx)", "error": "\(error)"])
            }
        }
    }

    /// Lists the live channels and lets the tracker close what ended in a gap and adopt what it missed. After every
    /// (re)connect, calls the journal still shows in progress for this PBX but Asterisk no longer has (they ended
    /// while no daemon was connected, or a daemon was killed) are closed in the journal as ended while disconnected.
    private func reconcile(_ tracker: inout CallTracker, closingJournalCalls: Bool) async {
        let live: [AMIMessage]
        do {
            live = try await client.sendList(AMIAction("CoreShowChannels")).filter { $0.eventName == "CoreShowChannel" }
        } catch {
            logger.error("CoreShowChannels failed; calls that ended during the gap stay open until the next reconnect",
                         metadata: ["pbx": "\(configuration.pbx)", "error": "\(error)"])
            return
        }
        let updates = tracker.reconcile(liveChannels: live, now: Date())
        writer.submit(updates)
        logger.info("reconciled", metadata: [
            "pbx": "\(configuration.pbx)", "liveChannels": "\(live.count)", "updates": "\(updates.count)",
        ])
        guard closingJournalCalls else { return }
        // What the writer already holds must reach the journal first, or its final versions would be closed here.
        await writer.flush()
        let linkedids = Array(Set(live.compactMap { $0["Linkedid"] }))
        let pbx = configuration.pbx
        do {
            let closed = try await journalClient.withConnection { connection in
                try JournalStore(connection: connection).closeCallsEndedWhileDown(pbx: pbx, liveLinkedids: linkedids)
            }
            if closed > 0 {
                logger.warning("closed calls that ended while calljournal was not connected",
                               metadata: ["pbx": "\(pbx)", "calls": "\(closed)"])
            }
        } catch {
            logger.error("could not close calls that ended while disconnected", metadata: ["error": "\(error)"])
        }
    }
}
