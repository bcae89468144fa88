import Foundation
import TestFixtures

/// One recorded FastAGI session of a scenario: its bytes each way and its readable log.
struct RecordedAGISession: CustomStringConvertible {
    enum LogLine: Equatable {
        case asterisk(String)
        case server(String)
    }

    let scenario: String
    let name: String
    let asteriskBytes: [UInt8]
    let stubBytes: [UInt8]
    let log: [LogLine]

    var description: String { "\(scenario)/\(name)" }

    /// Every `agi-*` session of every scenario.
    static func all() throws -> [RecordedAGISession] {
        try Fixtures.scenarios.flatMap { scenario in
            try Fixtures.files(scenario) { $0.hasPrefix("agi-") && $0.hasSuffix(".log") }.map {
                try RecordedAGISession(scenario: scenario, name: String($0.dropLast(4)))
            }
        }
    }

    init(scenario: String, name: String) throws {
        self.scenario = scenario
        self.name = name
        asteriskBytes = try Fixtures.data(scenario, name + ".asterisk.raw")
        stubBytes = try Fixtures.data(scenario, name + ".stub.raw")
        let text = String(decoding: try Fixtures.data(scenario, name + ".log"), as: UTF8.self)
        log = text.split(separator: "\n", omittingEmptySubsequences: false).compactMap { row in
            // "+0.001 A> 200 result=1": the direction marker follows the time stamp.
            guard let marker = row.firstIndex(of: ">"), marker > row.startIndex else { return nil }
            let direction = row[row.index(before: marker)]
            var content = row[row.index(after: marker)...]
            if content.first == " " { content = content.dropFirst() }
            switch direction {
            case "A": return .asterisk(String(content))
            case "S": return .server(String(content))
            default: return nil
            }
        }
    }

    /// The environment bytes Asterisk sent, blank line included.
    var environmentBytes: [UInt8] {
        var index = 0
        while index + 1 < asteriskBytes.count,
            !(asteriskBytes[index] == UInt8(ascii: "\n") && asteriskBytes[index + 1] == UInt8(ascii: "\n"))
        {
            index += 1
        }
        return Array(asteriskBytes[...(index + 1)])
    }

    /// Lines Asterisk sent after the environment, in order (responses and HANGUP).
    var asteriskLinesAfterEnvironment: [String] {
        let lines = log.compactMap { line -> String? in if case .asterisk(let text) = line { text } else { nil } }
        guard let blank = lines.firstIndex(of: "") else { return [] }
        return Array(lines[(blank + 1)...])
    }

    /// Commands the lab stub sent.
    var serverCommands: [String] {
        log.compactMap { line -> String? in if case .server(let text) = line { text } else { nil } }
    }

    /// The recorded answer to each `GET DATA`, in order (`"2"`, `"500"`, or `"-1"` for a hangup).
    var getDataResults: [String] {
        var results: [String] = []
        var awaitingGetData = false
        for line in log {
            switch line {
            case .server(let command): awaitingGetData = command.hasPrefix("GET DATA")
            case .asterisk(let text) where awaitingGetData && text.hasPrefix("200 result="):
                results.append(String(text.dropFirst("200 result=".count).prefix { $0 != " " }))
                awaitingGetData = false
            case .asterisk: break
            }
        }
        return results
    }
}

extension RecordedAGISession {
    /// The recorded environment with some variables replaced (the rest byte for byte as recorded).
    func environment(script: String? = nil, channel: String? = nil, language: String? = nil) -> [UInt8] {
        let text = String(decoding: environmentBytes, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if let script, line.hasPrefix("agi_network_script: ") { return "agi_network_script: " + script }
            if let script, line.hasPrefix("agi_request: ") { return "agi_request: agi://127.0.0.1:4573/" + script }
            if let channel, line.hasPrefix("agi_channel: ") { return "agi_channel: " + channel }
            if let language, line.hasPrefix("agi_language: ") { return "agi_language: " + language }
            return String(line)
        }
        return Array(lines.joined(separator: "\n").utf8)
    }

    /// The value a channel variable was given in the scenario's AMI stream (last `VarSet` wins).
    func amiVariable(_ variable: String, onChannel channel: String) throws -> String? {
        let ami = String(decoding: try Fixtures.data(scenario, "ami.raw"), as: UTF8.self)
        var value: String?
        for message in ami.components(separatedBy: "\r\n\r\n") {
            let fields = Dictionary(
                message.components(separatedBy: "\r\n").compactMap { line -> (String, String)? in
                    guard let colon = line.range(of: ": ") else { return nil }
                    return (String(line[..<colon.lowerBound]), String(line[colon.upperBound...]))
                }, uniquingKeysWith: { first, _ in first })
            if fields["Event"] == "VarSet", fields["Channel"] == channel, fields["Variable"] == variable {
                value = fields["Value"]
            }
        }
        return value
    }
}
