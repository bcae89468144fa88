import AMIClient
public import AMIModel
public import Foundation

/// One recorded scenario folder (`S1-inbound-answered-postcall/`): its AMI events and FastAGI sessions.
public struct RecordedScenario: Sendable {
    public let name: String
    /// Every event of `ami.raw`, in order.
    public let events: [AMIMessage]
    /// The FastAGI sessions (`agi-NN-<script>.*`), in order of arrival.
    public let agiSessions: [RecordedAGISession]

    /// Every scenario folder under `directory` (names starting with `S`), in numeric order.
    public static func all(in directory: URL) throws -> [RecordedScenario] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasPrefix("S") && FileManager.default.fileExists(atPath: directory.appendingPathComponent($0 + "/ami.raw").path) }
            .sorted { number($0) < number($1) }
        return try names.map { try RecordedScenario(folder: directory.appendingPathComponent($0)) }
    }

    public init(folder: URL) throws {
        name = folder.lastPathComponent
        let recording = AMIRecording(bytes: [UInt8](try Data(contentsOf: folder.appendingPathComponent("ami.raw"))))
        events = recording.events
        let logs = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix("agi-") && $0.hasSuffix(".log") }.sorted()
        let channelVariables = Self.channelVariables(events)
        agiSessions = try logs.map { log in
            let base = folder.appendingPathComponent(String(log.dropLast(4)))
            return try RecordedAGISession(
                asteriskBytes: [UInt8](try Data(contentsOf: base.appendingPathExtension("asterisk.raw"))),
                log: String(decoding: try Data(contentsOf: folder.appendingPathComponent(log)), as: UTF8.self),
                channelVariables: channelVariables)
        }
    }

    /// The variables each channel had in a recorded AMI stream (`ami.raw`): see ``channelVariables(_:)``.
    public static func channelVariables(amiBytes: [UInt8]) -> [String: [String: String]] {
        channelVariables(AMIRecording(bytes: amiBytes).events)
    }

    /// The variables each channel had in the AMI stream (`VarSet`, last value wins), plus `CHANNEL(linkedid)` and
    /// `CHANNEL(uniqueid)`: what `GET VARIABLE` / `GET FULL VARIABLE` answer on that channel.
    static func channelVariables(_ events: [AMIMessage]) -> [String: [String: String]] {
        var variables: [String: [String: String]] = [:]
        for event in events {
            guard let channel = event["Channel"] else { continue }
            if let linkedid = event["Linkedid"] { variables[channel, default: [:]]["CHANNEL(linkedid)"] = linkedid }
            if let uniqueid = event["Uniqueid"] { variables[channel, default: [:]]["CHANNEL(uniqueid)"] = uniqueid }
            if event.eventName == "VarSet", let name = event["Variable"] {
                variables[channel, default: [:]][name] = event["Value"] ?? ""
            }
        }
        return variables
    }

    private static func number(_ name: String) -> Int { Int(name.dropFirst().prefix { $0.isNumber }) ?? .max }
}

/// One recorded FastAGI session: what Asterisk sent first (the environment), and how the channel behaved — the
/// digits typed at each `GET DATA` and when it hung up — so any server can be answered the way Asterisk would.
public struct RecordedAGISession: Sendable {
    /// The environment lines (without the blank line that ends them).
    public let environment: [(key: String, value: String)]
    /// The channel the session ran on (`agi_channel`).
    public let channel: String
    /// The channel's behaviour during the session.
    public let simulatedChannel: SimulatedChannel

    init(asteriskBytes: [UInt8], log: String, channelVariables: [String: [String: String]]) throws {
        let text = String(decoding: asteriskBytes, as: UTF8.self)
        let header = text.components(separatedBy: "\n\n").first ?? ""
        environment = header.split(separator: "\n").compactMap { line in
            guard let colon = line.range(of: ": ") ?? line.range(of: ":") else { return nil }
            return (String(line[..<colon.lowerBound]), String(line[colon.upperBound...]))
        }
        channel = environment.first { $0.key == "agi_channel" }?.value ?? ""

        let lines = AGILogLine.parse(log)
        var asteriskLines: [String] = [], firstChannelResponse: String?
        var afterEnvironment = false, awaiting: String?
        for line in lines {
            switch line {
            case .server(let command): awaiting = command
            case .asterisk(let content):
                if !afterEnvironment {
                    afterEnvironment = content.isEmpty
                    continue
                }
                asteriskLines.append(content)
                guard content.hasPrefix("200 result="), let command = awaiting else { continue }
                if firstChannelResponse == nil, command.hasPrefix("STREAM FILE") || command.hasPrefix("GET DATA") {
                    firstChannelResponse = content
                }
                awaiting = nil
            }
        }
        let death: SimulatedChannel.Death
        if asteriskLines.first == "HANGUP" {
            death = .atStart
        } else if firstChannelResponse?.hasPrefix("200 result=-1 endpos") == true {
            death = .atFirstChannelCommand
        } else {
            death = .never
        }
        simulatedChannel = SimulatedChannel(
            variables: channelVariables[channel] ?? [:], digits: lines.getDataAnswers, death: death)
    }

    /// The environment block as Asterisk writes it, `agi_*` lines then a blank line, with `rewrite` applied to each
    /// value.
    public func environmentBytes(rewrite: (String) -> String = { $0 }) -> [UInt8] {
        Array((environment.map { "\($0.key): \(rewrite($0.value))" }.joined(separator: "\n") + "\n\n").utf8)
    }
}
