@testable import AMIClient
import AMIModel
import Foundation
import Logging
import Testing

@Suite struct AMIEventBufferTests {
    private func event(_ name: String) -> AMIStreamElement {
        .event(AMIEvent(pbx: "main", name: name, message: AMIMessage([("Event", name)]), receivedAt: Date()))
    }

    private func describe(_ element: AMIStreamElement) -> String {
        switch element {
        case .connected: "connected"
        case .disconnected: "disconnected"
        case .event(let event): event.name
        case .eventsDropped(let count): "dropped \(count)"
        case .listCompleted(let actionID): "list \(actionID)"
        }
    }

    /// A reconnect while the consumer is behind: its events may be dropped, its markers not, or the consumer would
    /// skip the reconcile that closes the calls that ended in the gap.
    @Test func connectionMarkersAreNeverDroppedAndKeepTheirPlace() async {
        let buffer = AMIEventBuffer(limit: 4, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        for name in ["A", "B", "C", "D"] { buffer.deliver(event(name)) }
        buffer.deliver(event("E"))  // dropped: full
        buffer.deliver(.disconnected(.connectionClosed(reason: "test")))
        buffer.deliver(.connected(serverVersion: "22.10.1"))
        buffer.deliver(event("F"))  // dropped: it must not overtake the waiting markers
        var iterator = buffer.stream.makeAsyncIterator()
        var seen: [String] = []
        for _ in 0 ..< 4 { if let element = await iterator.next() { seen.append(describe(element)) } }
        buffer.deliver(event("G"))
        buffer.finish()
        while let element = await iterator.next() { seen.append(describe(element)) }
        #expect(seen == ["A", "B", "C", "D", "dropped 2", "disconnected", "connected", "G"])
        #expect(buffer.droppedCount == 2)
    }
}
