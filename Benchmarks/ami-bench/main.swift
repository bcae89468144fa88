// ami-bench: decoding throughput of the AMI codec over the recorded Asterisk traces.
//
//   swift run -c release ami-bench [TRACES_DIR] [--events N] [--megabytes M] [--rounds R] [--plain-only]
//
// Builds one in-memory stream by repeating every recorded ami.raw (banner and login response
// kept only once) until it holds at least N events (default 1,000,000) and M MiB (default 100), then feeds it
// to AMIDecoder in 64 KiB chunks, as a socket would deliver it, on one core. Prints events/s,
// MB/s and the peak resident set size (VmHWM).
import AMIClient
import AMIModel
import Foundation

struct Options {
    var traces = "Tests/Fixtures/asterisk-traces"
    var minimumEvents = 1_000_000
    var minimumBytes = 100 * 1024 * 1024
    var rounds = 5
    /// Skip the second measurement (with `eventName`), e.g. to count instructions of one pass.
    var plainOnly = false

    init(arguments: [String]) {
        var rest = arguments.dropFirst()
        while let argument = rest.popFirst() {
            switch argument {
            case "--events": minimumEvents = rest.popFirst().flatMap(Int.init) ?? minimumEvents
            case "--rounds": rounds = rest.popFirst().flatMap(Int.init) ?? rounds
            case "--plain-only": plainOnly = true
            case "--megabytes": minimumBytes = (rest.popFirst().flatMap(Int.init) ?? 100) * 1024 * 1024
            default: traces = argument
            }
        }
    }
}

/// The recorded streams from their first event on, and the opening (banner + login response).
func loadTraces(_ directory: String) throws -> (opening: [UInt8], bodies: [[UInt8]]) {
    let folders = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("S") }.sorted()
    var opening: [UInt8] = []
    var bodies: [[UInt8]] = []
    let marker = Array("Event: FullyBooted".utf8)
    for folder in folders {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(folder)/ami.raw")))
        guard let start = (0 ... bytes.count - marker.count).first(where: { bytes[$0 ..< $0 + marker.count].elementsEqual(marker) })
        else { continue }
        if opening.isEmpty { opening = Array(bytes[..<start]) }
        bodies.append(Array(bytes[start...]))
    }
    return (opening, bodies)
}

/// Counts `Event: ` at the start of a line, as `grep -c '^Event: '` would.
func countEventLines(_ bytes: [UInt8]) -> Int {
    let pattern = Array("\nEvent: ".utf8)
    var count = bytes.starts(with: pattern.dropFirst()) ? 1 : 0
    var index = 0
    while index + pattern.count <= bytes.count {
        if bytes[index] == 0x0A, bytes[index ..< index + pattern.count].elementsEqual(pattern) { count += 1 }
        index += 1
    }
    return count
}

/// CPU time of this thread: unlike wall time it does not count the time other processes on
/// the machine took the core away.
func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func peakResidentKilobytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
}

/// Decodes `stream` in 64 KiB chunks; returns (messages, events by name lookup).
func decodeAll(_ stream: [UInt8], lookUpNames: Bool) -> (messages: Int, events: Int) {
    var decoder = AMIDecoder()
    var messages = 0
    var events = 0
    let chunk = 64 * 1024
    stream.withUnsafeBytes { raw in
        var offset = 0
        while offset < raw.count {
            let end = min(raw.count, offset + chunk)
            decoder.feed(UnsafeRawBufferPointer(rebasing: raw[offset ..< end]))
            offset = end
            while let output = decoder.next() {
                guard case .message(let message) = output else { continue }
                messages += 1
                if lookUpNames, message.eventName != nil { events += 1 }
            }
        }
    }
    return (messages, events)
}

let options = Options(arguments: CommandLine.arguments)
let (opening, bodies) = try loadTraces(options.traces)
let round = Array(bodies.joined())
let eventsPerRound = countEventLines(round)
let repeats = max((options.minimumEvents + eventsPerRound - 1) / eventsPerRound, (options.minimumBytes + round.count - 1) / round.count)
var stream = opening
stream.reserveCapacity(opening.count + round.count * repeats)
for _ in 0 ..< repeats { stream.append(contentsOf: round) }
let expectedEvents = eventsPerRound * repeats
let megabytes = Double(stream.count) / 1_000_000
print("stream: \(bodies.count) traces x \(repeats) = \(String(format: "%.1f", megabytes)) MB, \(expectedEvents) events")

for lookUpNames in options.plainOnly ? [false] : [false, true] {
    var rates: [Double] = []
    var cpuRates: [Double] = []
    for _ in 0 ..< options.rounds {
        let started = ContinuousClock.now
        let cpuStarted = threadCPUSeconds()
        let counted = decodeAll(stream, lookUpNames: lookUpNames)
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        cpuRates.append(Double(expectedEvents) / (threadCPUSeconds() - cpuStarted))
        // Every event and the login response must come out, or the figure means nothing.
        guard counted.messages == expectedEvents + 1, !lookUpNames || counted.events == expectedEvents else {
            print("decoded \(counted) messages, expected \(expectedEvents + 1): the benchmark is invalid")
            exit(1)
        }
        rates.append(Double(expectedEvents) / seconds)
    }
    rates.sort()
    cpuRates.sort()
    let bytesPerEvent = Double(stream.count) / Double(expectedEvents)
    for (clock, sorted) in [("wall", rates), ("cpu ", cpuRates)] {
        let median = sorted[sorted.count / 2]
        let best = sorted.last ?? 0
        print(String(
            format: "%@ (%@ time): median %.0f events/s (%.0f MB/s), best %.0f events/s (%.0f MB/s), %d rounds",
            lookUpNames ? "decode + eventName" : "decode            ", clock,
            median, median * bytesPerEvent / 1_000_000, best, best * bytesPerEvent / 1_000_000, options.rounds
        ))
    }
}
print("peak RSS (VmHWM): \(peakResidentKilobytes() / 1024) MiB, of which the stream is \(stream.count / 1_048_576) MiB")
