@testable import AGIHandlers
import PBXSimulator
import Testing

/// The codec against every FastAGI session Asterisk 22 recorded in the lab.
@Suite struct RecordedTranscriptTests {
    /// What Asterisk's bytes decode to: the environment, then one entry per later line.
    private func decode(_ bytes: [UInt8], chunkSize: Int) throws -> (AGIEnvironment?, [String]) {
        var framer = AGILineFramer(maximumLineLength: 8192)
        var environmentDecoder = AGIEnvironmentDecoder()
        var responseDecoder = AGIResponseDecoder()
        var environment: AGIEnvironment?
        var events: [String] = []
        var offset = 0
        while offset < bytes.count {
            framer.append(bytes[offset..<min(offset + chunkSize, bytes.count)])
            offset += chunkSize
            while let line = try framer.nextLine() {
                if environment == nil {
                    environment = try environmentDecoder.lineReceived(line)
                    continue
                }
                switch try responseDecoder.lineReceived(line) {
                case .hangup: events.append("HANGUP")
                case .response(.success(let result)):
                    // Rebuilt from the parsed parts, so a comparison with the log checks every field.
                    let data = result.data.map { " (\($0))" } ?? ""
                    let attributes = result.attributes.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
                    events.append("200 result=\(result.result)\(data)\(attributes)")
                case .response(.deadChannel(let message)): events.append("511 \(message)")
                case .response(let other): events.append("\(other)")
                case nil: break
                }
            }
        }
        return (environment, events)
    }

    @Test func everyRecordedSessionIsAvailable() throws {
        let sessions = try RecordedAGISession.all()
        #expect(sessions.count == 31)
        #expect(sessions.filter { $0.name.hasSuffix("postcall") }.count == 10)
    }

    @Test(arguments: try RecordedAGISession.all())
    func asteriskBytesDecodeLikeTheLog(_ session: RecordedAGISession) throws {
        let (environment, events) = try decode(session.asteriskBytes, chunkSize: session.asteriskBytes.count)
        let environmentInLog = session.log.prefix { $0 != .asterisk("") }.compactMap { line -> String? in
            if case .asterisk(let text) = line { text } else { nil }
        }
        let decoded = try #require(environment)
        #expect(decoded.variables.map { "\($0.name): \($0.value)" } == environmentInLog)
        #expect(decoded.request.name == (session.name.hasSuffix("route") ? "route" : "postcall"))
        #expect(events == session.asteriskLinesAfterEnvironment)
        #expect(events.last == "HANGUP", "every session ends with the HANGUP Asterisk sends after the server closes")
    }

    @Test(arguments: try RecordedAGISession.all())
    func oneByteAtATimeGivesTheSameResult(_ session: RecordedAGISession) throws {
        let whole = try decode(session.asteriskBytes, chunkSize: session.asteriskBytes.count)
        let bytewise = try decode(session.asteriskBytes, chunkSize: 1)
        #expect(whole.0 == bytewise.0)
        #expect(whole.1 == bytewise.1)
    }

    @Test(arguments: try RecordedAGISession.all())
    func stubCommandsSurviveOurEncodingAsAsteriskParsesThem(_ session: RecordedAGISession) throws {
        for line in session.serverCommands {
            let recorded = AsteriskArgumentSplitter.split(line)
            let command = try #require(Self.command(for: recorded), "no encoder for \(line)")
            let encoded = String(decoding: try command.encoded().dropLast(), as: UTF8.self)
            #expect(AsteriskArgumentSplitter.split(encoded) == recorded, "\(line) -> \(encoded)")
        }
    }

    @Test func setVariableIsByteForByteWhatTheLabSent() throws {
        let session = try RecordedAGISession(scenario: "S11", name: "agi-01-route")
        let sent = try AGICommand.setVariable("ROUTE_DIAL", "PJSIP/101&PJSIP/102").encoded()
        #expect(sent == session.stubBytes)
    }

    @Test func s13HangupArrivesBeforeTheVerboseResponse() throws {
        let session = try RecordedAGISession(scenario: "S13", name: "agi-02-postcall")
        let (_, events) = try decode(session.asteriskBytes, chunkSize: 7)
        #expect(events == ["200 result=0 endpos=3404", "200 result=3", "200 result=-1", "HANGUP", "200 result=1", "HANGUP"])
    }

    @Test func s8DyingChannelAnswersMinusOneThen511() throws {
        let session = try RecordedAGISession(scenario: "S8", name: "agi-03-postcall")
        var decoder = AGIResponseDecoder()
        let first = try decoder.lineReceived("200 result=-1 endpos=320")
        #expect(first == .response(.success(AGIResult(result: "-1", attributes: ["endpos": "320"]))))
        let (_, events) = try decode(session.asteriskBytes, chunkSize: 3)
        let dead = "511 Command Not Permitted on a dead channel or intercept routine"
        #expect(events == ["200 result=-1 endpos=320", "HANGUP", dead, dead, "200 result=1", "HANGUP"])
    }

    /// Our encoder for a recorded stub command line.
    static func command(for arguments: [String]) -> AGICommand? {
        let words = arguments.prefix(2).map { $0.uppercased() }
        if words == ["SET", "VARIABLE"] { return try? AGICommand.setVariable(arguments[2], arguments[3]) }
        if words == ["STREAM", "FILE"] { return AGICommand.streamFile(arguments[2], escapeDigits: arguments[3]) }
        if words == ["GET", "DATA"] {
            return AGICommand.getData(
                arguments[2], timeoutMilliseconds: Int(arguments[3]) ?? 0, maxDigits: Int(arguments[4]) ?? 0)
        }
        if words.first == "VERBOSE" { return AGICommand.verbose(arguments[1], level: Int(arguments[2]) ?? 1) }
        return nil
    }
}
