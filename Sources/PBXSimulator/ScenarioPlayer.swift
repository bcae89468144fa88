import AMIModel
import Foundation
import LogKeys
import Logging

/// Plays recorded scenarios as a live Asterisk would: AMI events at their recorded pace (divided by `speed`), and
/// each recorded FastAGI session started against the real FastAGI server at the moment the dialplan reached its
/// `AGI()` step.
struct ScenarioPlayer: Sendable {
    let scenarios: [RecordedScenario]
    let configuration: PBXSimulator.Configuration
    let hub: AMIEventHub
    let logger: Logger

    /// Runs every round; returns when the last event was sent and every FastAGI session has ended.
    func run() async -> PBXSimulator.Summary {
        var summary = PBXSimulator.Summary()
        let events = Self.backToBack(scenarios.map(\.events))
        let times = events.map { $0["Timestamp"].flatMap(Double.init) }
        guard let first = times.compactMap({ $0 }).first, let last = times.compactMap({ $0 }).last else { return summary }
        var timeShift = Date().timeIntervalSince1970 - first
        var round = 0
        while configuration.rounds == 0 || round < configuration.rounds {
            if Task.isCancelled { break }
            let rewriter = LoopRewriter(round: round, timeShift: timeShift)
            await play(events, times: times, from: first, rewriter: rewriter, summary: &summary)
            round += 1
            summary.rounds = round
            // The next round starts now, and never before the previous one's timestamps ended.
            timeShift = max(Date().timeIntervalSince1970 - first, timeShift + (last - first) + 5)
        }
        // Let the managers' connections carry the last events out before the caller stops serving AMI.
        try? await Task.sleep(for: .seconds(1))
        return summary
    }

    private func play(_ events: [AMIMessage], times: [Double?], from first: Double, rewriter: LoopRewriter,
                      summary: inout PBXSimulator.Summary) async {
        var pending: [String: [RecordedAGISession]] = [:]
        for session in scenarios.flatMap(\.agiSessions) { pending[session.channel, default: []].append(session) }
        let clock = ContinuousClock()
        let start = clock.now
        await withTaskGroup(of: Bool.self) { sessions in
            for (index, event) in events.enumerated() {
                if Task.isCancelled { break }
                if let time = times[index] {
                    let due = start + .seconds((time - first) / configuration.speed)
                    if due > clock.now { try? await Task.sleep(until: due, clock: clock) }
                }
                await hub.publish(AMIMessage(event.fields.map { ($0.key, rewriter.value($0.value, key: $0.key)) }))
                summary.events += 1
                if summary.events == configuration.dropAfterEvents {
                    logger.warning("dropping every AMI session (fault injection)", metadata: [
                        LogKey.events: "\(summary.events)", LogKey.outageEvents: "\(configuration.outageEvents)",
                    ])
                    await hub.dropAll(outageEvents: configuration.outageEvents)
                }
                if let every = configuration.garbageEvery, summary.events % every == 0 {
                    await hub.publishRaw(Self.garbage)
                }
                guard event.eventName == "Newexten", event["Application"] == "AGI", let channel = event["Channel"],
                      var queue = pending[channel], !queue.isEmpty else { continue }
                let session = queue.removeFirst()
                pending[channel] = queue
                summary.agiSessions += 1
                sessions.addTask { await playSession(session, rewriter: rewriter) }
            }
            for await succeeded in sessions where !succeeded { summary.agiFailures += 1 }
        }
    }

    /// The scenarios' events one after the other. Recordings made days apart (S1-S13 and S14 onwards) would leave
    /// days of silence between them, so a scenario that starts more than `maxGap` seconds after the previous one
    /// ended is moved back to start `maxGap` seconds after it; its own timing is kept.
    static func backToBack(_ scenarios: [[AMIMessage]], maxGap: Double = 3) -> [AMIMessage] {
        var result: [AMIMessage] = []
        var previousEnd: Double?
        for events in scenarios {
            let times = events.compactMap { $0["Timestamp"].flatMap(Double.init) }
            guard let first = times.first, let last = times.last else {
                result += events
                continue
            }
            let shift = previousEnd.map { end in first - end > maxGap ? end + maxGap - first : 0 } ?? 0
            previousEnd = last + shift
            guard shift != 0 else {
                result += events
                continue
            }
            for event in events {
                result.append(AMIMessage(event.fields.map { field in
                    guard field.key == "Timestamp", let seconds = Double(field.value) else { return field }
                    return (field.key, String(format: "%.6f", seconds + shift))
                }))
            }
        }
        return result
    }

    /// A frame no Asterisk should send: binary noise, a line far over any sane limit, then the blank line that lets
    /// a decoder resynchronise.
    static let garbage: [UInt8] = Array("Event: \u{01}\u{02}\u{FF}garbage\r\n".utf8) + [0xFF, 0x00, 0xC3, 0x28]
        + Array("\r\nValue: ".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 200_000) + Array("\r\n\r\n".utf8)

    private func playSession(_ session: RecordedAGISession, rewriter: LoopRewriter) async -> Bool {
        var channel = session.simulatedChannel
        channel.variables = channel.variables.mapValues(rewriter.text)
        do {
            let transcript = try await AGISessionPlayer.play(
                host: configuration.agiHost, port: configuration.agiPort,
                environment: session.environmentBytes(rewrite: rewriter.text), channel: channel)
            logger.debug("FastAGI session played", metadata: [
                LogKey.channel: "\(rewriter.text(session.channel))", LogKey.commands: "\(transcript.commands.count)",
            ])
            return true
        } catch {
            logger.warning("FastAGI session failed", metadata: [LogKey.channel: "\(session.channel)", LogKey.error: "\(error)"])
            return false
        }
    }
}
