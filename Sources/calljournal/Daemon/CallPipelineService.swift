import AMIClient
import AMIModel
import CallTracking
import Foundation
import LogKeys
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
                    do { try await client.run() } catch { logger.debug("AMI client ended", metadata: [LogKey.error: "\(error)"]) }
                }
                await consume()
                group.cancelAll()
            }
        }
    }

    /// A live-channel list that came back and waits for its place in the event stream (its `.listCompleted`).
    private struct Snapshot {
        var actionID: String
        var live: [AMIMessage]
        var takenAt: Date
        var closingJournalCalls: Bool
    }

    private func consume() async {
        var directoryVersion = directory.current.version
        var tracker = CallTracker(configuration: configuration,
                                  directory: EndpointDirectory(directory.current.data, trunks: trunks))
        var snapshot: Snapshot?
        var lists = 0
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
                logger.info("AMI connected; reconciling calls in progress", metadata: [LogKey.pbx: "\(configuration.pbx)",
                                                                                      LogKey.asterisk: "\(version)"])
                lists += 1
                snapshot = await listLiveChannels(number: lists, closingJournalCalls: true)
            case .eventsDropped(let count):
                logger.error("AMI events were dropped; reconciling calls in progress",
                             metadata: [LogKey.pbx: "\(configuration.pbx)", LogKey.dropped: "\(count)"])
                // Events dropped while a list was on its way are older than the list, which covers them.
                guard snapshot == nil else { continue }
                lists += 1
                snapshot = await listLiveChannels(number: lists, closingJournalCalls: false)
            case .listCompleted(let actionID):
                // Every event before this point is older than the list: now it is the newer picture.
                guard let taken = snapshot, taken.actionID == actionID else { continue }
                snapshot = nil
                await reconcile(&tracker, with: taken)
            case .disconnected(let error):
                logger.warning("AMI disconnected", metadata: [LogKey.pbx: "\(configuration.pbx)", LogKey.error: "\(error)"])
            }
        }
    }

    /// Lists the live channels with `CoreShowChannels`. The list is applied when the event stream reaches its
    /// `.listCompleted` (events queued before it are older), by ``reconcile(_:with:)``.
    private func listLiveChannels(number: Int, closingJournalCalls: Bool) async -> Snapshot? {
        let actionID = "calljournal-reconcile-\(number)"
        do {
            let live = try await client.sendList(AMIAction("CoreShowChannels", actionID: actionID))
                .filter { $0.eventName == "CoreShowChannel" }
            return Snapshot(actionID: actionID, live: live, takenAt: Date(), closingJournalCalls: closingJournalCalls)
        } catch {
            logger.error("CoreShowChannels failed; calls that ended during the gap stay open until the next reconnect",
                         metadata: [LogKey.pbx: "\(configuration.pbx)", LogKey.error: "\(error)"])
            return nil
        }
    }

    /// Lets the tracker close what ended in a gap and adopt what it missed. After every (re)connect, calls the
    /// journal still shows in progress for this PBX but Asterisk no longer has (they ended while no daemon was
    /// connected, or a daemon was killed) are closed in the journal as ended while disconnected.
    private func reconcile(_ tracker: inout CallTracker, with snapshot: Snapshot) async {
        let live = snapshot.live
        let updates = tracker.reconcile(liveChannels: live, now: snapshot.takenAt)
        writer.submit(updates)
        logger.info("reconciled", metadata: [
            LogKey.pbx: "\(configuration.pbx)", LogKey.liveChannels: "\(live.count)", LogKey.updates: "\(updates.count)",
        ])
        guard snapshot.closingJournalCalls else { return }
        let linkedids = Array(Set(live.compactMap { $0["Linkedid"] }))
        let pbx = configuration.pbx
        do {
            let closed = try await writer.closeCallsEndedWhileDown(pbx: pbx, liveLinkedids: linkedids)
            if closed > 0 {
                logger.warning("closed calls that ended while calljournal was not connected",
                               metadata: [LogKey.pbx: "\(pbx)", LogKey.calls: "\(closed)"])
            }
        } catch {
            logger.error("could not close calls that ended while disconnected", metadata: [LogKey.error: "\(error)"])
        }
    }
}
