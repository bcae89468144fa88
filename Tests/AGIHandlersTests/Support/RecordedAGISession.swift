import Foundation
import PBXSimulator
import TestFixtures

/// One recorded FastAGI session of a scenario: its bytes each way and its readable log, read with the simulator's
/// reader of the same recordings.
struct RecordedAGISession: CustomStringConvertible {
    let scenario: String
    let name: String
    let asteriskBytes: [UInt8]
    let stubBytes: [UInt8]
    let log: [AGILogLine]

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
        log = AGILogLine.parse(text)
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
    var getDataResults: [String] { log.getDataAnswers }
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
        RecordedScenario.channelVariables(amiBytes: try Fixtures.data(scenario, "ami.raw"))[channel]?[variable]
    }
}
