@testable import AGIHandlers
import Testing

@Suite struct AGIEnvironmentDecoderTests {
    private func decode(_ lines: [String], limits: AGIEnvironmentDecoder.Limits = .init()) throws -> AGIEnvironment? {
        var decoder = AGIEnvironmentDecoder(limits: limits)
        for line in lines {
            if let environment = try decoder.lineReceived(line) { return environment }
        }
        return nil
    }

    @Test func postcallEnvironmentFromS1() throws {
        let environment = try #require(
            try decode([
                "agi_network: yes", "agi_network_script: postcall?linkedid=1795358807.0&uniqueid=1795358807.1",
                "agi_channel: PJSIP/101-00000001", "agi_language: en", "agi_uniqueid: 1795358807.1",
                "agi_callerid: 101", "agi_dnid: unknown", "agi_extension: s", "agi_accountcode: ", "",
            ]))
        #expect(environment.request.name == "postcall")
        #expect(environment.request["linkedid"] == "1795358807.0")
        #expect(environment.request["uniqueid"] == "1795358807.1")
        #expect(environment.channel == "PJSIP/101-00000001")
        #expect(environment.dialedNumber == nil, "Asterisk writes 'unknown' for an absent DNID")
        #expect(environment["agi_accountcode"] == "")
        #expect(environment.uniqueID == "1795358807.1")
    }

    @Test func scriptFallsBackToTheRequestURLAndArgumentsAreCollected() throws {
        let environment = try #require(
            try decode(["agi_request: agi://10.0.0.5:4573/status?set=online", "agi_arg_1: a", "agi_arg_2: b c", ""]))
        #expect(environment.request.name == "status")
        #expect(environment.request["set"] == "online")
        #expect(environment.arguments == ["a", "b c"])
    }

    @Test func queryParametersArePercentDecodedAndFirstWins() {
        let request = AGIScriptRequest(parsing: "/route/?ext=1%302&ext=999&name=Ann+Lee&bad=%zz&=x")
        #expect(request.name == "route")
        #expect(request["ext"] == "102")
        #expect(request["name"] == "Ann Lee")
        #expect(request["bad"] == "%zz")
        #expect(request.parameters.count == 4)
    }

    @Test func environmentWithoutScriptIsRefused() {
        #expect(throws: AGIProtocolError.missingScript) { try decode(["agi_channel: PJSIP/101-00000001", ""]) }
    }

    @Test(arguments: ["GET / HTTP/1.1", "Host: example", "agi_channel PJSIP/101", "AGI_CHANNEL: x", ": value"])
    func linesThatAreNotAGIVariablesAreRefused(_ line: String) {
        #expect(throws: AGIProtocolError.self) { try decode([line]) }
    }

    /// Found by fuzz/run.sh agi: a DEL byte (0x7F) reached the error text, which goes to the log.
    @Test func errorsQuoteOnlyPrintableASCIIOfWhatThePeerSent() throws {
        let line = "x\u{7F}y\u{C3}z\u{1B}[2J\u{03}"
        let error = try #require(throws: AGIProtocolError.self) { try decode([line]) }
        #expect(error == .malformedEnvironmentLine(prefix: "\"x?y?z?[2J?\""))
        #expect(error.description.unicodeScalars.allSatisfy { (0x20..<0x7F).contains($0.value) })
    }

    @Test func byteAndLineLimitsHold() {
        let big = Array(repeating: "agi_x: " + String(repeating: "y", count: 100), count: 200)
        #expect(throws: AGIProtocolError.environmentTooLarge(limitBytes: 16_384)) { try decode(big) }
        let many = (0..<300).map { "agi_arg_\($0): 1" }
        #expect(throws: AGIProtocolError.tooManyEnvironmentLines(limit: 256)) { try decode(many) }
    }
}
