import Foundation
import Logging
import Synchronization
import TestFixtures

struct TimedOut: Error, CustomStringConvertible {
    let limit: Duration
    var description: String { "the test did not finish within \(limit)" }
}

/// Runs `body`, failing with `TimedOut` if it takes longer than `limit`.
func withTimeout<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard case .some(.some(let value)) = try await group.next() else { throw TimedOut(limit: limit) }
        return value
    }
}

/// Polls `condition` every 10 ms until it holds or `limit` passes; returns whether it held.
func eventually(within limit: Duration = .seconds(5), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}

/// A recorded AMI stream from the first event on: what the server sends after the login response.
func recordedEvents(_ scenario: String) throws -> [UInt8] {
    let bytes = try Fixtures.data(scenario, "ami.raw")
    let marker = Array("Event: FullyBooted".utf8)
    guard let start = (0 ... bytes.count - marker.count).first(where: { bytes[$0 ..< $0 + marker.count].elementsEqual(marker) }) else {
        fatalError("\(scenario) has no FullyBooted event")
    }
    return Array(bytes[start...])
}

/// The MD5 of md5sum, for the test server to check keys independently of the client's MD5.
enum MD5Reference {
    static func hex(_ text: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/md5sum")
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        do { try process.run() } catch { return "md5sum unavailable" }
        input.fileHandleForWriting.write(Data(text.utf8))
        try? input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data.prefix(32), as: UTF8.self)
    }
}

/// A log handler that keeps every line, to check what is logged and that no secret is.
struct CapturingLogHandler: LogHandler {
    final class Store: Sendable {
        let lines = Mutex<[(level: Logger.Level, text: String)]>([])
        var all: [(level: Logger.Level, text: String)] { lines.withLock { $0 } }
        func count(_ message: String) -> Int { all.filter { $0.text.hasPrefix(message) }.count }
    }

    let store: Store
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let text = "\(event.message) \(merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))"
        store.lines.withLock { $0.append((event.level, text)) }
    }

    static func logger() -> (Logger, Store) {
        let store = Store()
        return (Logger(label: "test") { _ in CapturingLogHandler(store: store) }, store)
    }
}

/// A logger that prints nothing, for tests that do not look at the logs.
let quietLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
