import LogKeys
import Logging
import Synchronization

/// The bounded hand-off between the socket reader and the consumer of ``AMIClient/events``.
///
/// The reader never waits: when `limit` elements are already waiting, new ones are dropped and
/// counted, and once the consumer makes room an ``AMIStreamElement/eventsDropped(count:)``
/// tells it how many it missed before the next element. Dropping the newest (not the oldest)
/// keeps what the consumer sees in order with a single gap. Memory is bounded by `limit`
/// elements. The first drop and the recovery are each logged once.
///
/// The `.connected`, `.disconnected` and `.listCompleted` markers are never lost: one that finds the buffer full
/// is kept aside (a few at most: one pair per reconnect) and delivered right after the gap
/// marker, so the consumer still reconciles after a reconnect it fell behind on.
final class AMIEventBuffer: Sendable {
    let stream: AsyncStream<AMIStreamElement>
    private let continuation: AsyncStream<AMIStreamElement>.Continuation
    private let logger: Logger
    /// Elements dropped since the consumer last got a gap marker, in total, and the connection markers waiting for
    /// room.
    private let drops = Mutex((gap: 0, total: 0, markers: [AMIStreamElement]()))

    init(limit: Int, logger: Logger) {
        (stream, continuation) = AsyncStream.makeStream(of: AMIStreamElement.self, bufferingPolicy: .bufferingOldest(limit))
        self.logger = logger
    }

    /// Elements dropped so far.
    var droppedCount: Int { drops.withLock { $0.total } }

    /// Hands `element` to the consumer, or drops and counts it when the buffer is full.
    func deliver(_ element: AMIStreamElement) {
        let isMarker: Bool
        switch element {
        case .connected, .disconnected, .listCompleted: isMarker = true
        case .event, .eventsDropped: isMarker = false
        }
        drops.withLock { drops in
            if drops.gap > 0 {
                switch continuation.yield(.eventsDropped(count: drops.gap)) {
                case .enqueued:
                    logger.warning("AMI event consumer caught up", metadata: [LogKey.dropped: "\(drops.gap)"])
                    drops.gap = 0
                case .dropped:
                    if isMarker {
                        drops.markers.append(element)
                    } else {
                        drops.gap += 1
                        drops.total += 1
                    }
                    return
                default:
                    return
                }
            }
            // Markers queue up and go out in order as room allows.
            if isMarker { drops.markers.append(element) }
            while let marker = drops.markers.first, case .enqueued = continuation.yield(marker) {
                drops.markers.removeFirst()
            }
            guard !isMarker else { return }
            // An event behind a marker still waiting for room would overtake it: it is dropped with the others.
            if drops.markers.isEmpty {
                guard case .dropped = continuation.yield(element) else { return }
            }
            if drops.gap == 0 {
                logger.warning("AMI event consumer is behind; dropping events until it catches up")
            }
            drops.gap += 1
            drops.total += 1
        }
    }

    /// Ends the stream: the consumer's loop finishes after the buffered elements.
    func finish() {
        continuation.finish()
    }
}
