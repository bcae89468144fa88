@testable import AGIHandlers
import Testing

@Suite struct AGIResponseDecoderTests {
    private func decode(_ lines: [String]) throws -> [AGIResponseDecoder.Event] {
        var decoder = AGIResponseDecoder()
        return try lines.compactMap { try decoder.lineReceived($0) }
    }

    @Test func getDataDigitsAndTimeout() throws {
        #expect(try decode(["200 result=500"]) == [.response(.success(AGIResult(result: "500")))])
        #expect(try decode(["200 result=12 (timeout)"]) == [.response(.success(AGIResult(result: "12", data: "timeout")))])
        let empty = try decode(["200 result= (timeout)"])
        #expect(empty == [.response(.success(AGIResult(result: "", data: "timeout")))])
    }

    @Test func variableValuesKeepSpacesAndParentheses() throws {
        let events = try decode(["200 result=1 (Agent (101) on duty)"])
        #expect(events == [.response(.success(AGIResult(result: "1", data: "Agent (101) on duty")))])
        let empty = try decode(["200 result=1 ()"])
        #expect(empty == [.response(.success(AGIResult(result: "1", data: "")))])
    }

    @Test func dataFollowedByAttributes() throws {
        let events = try decode(["200 result=-1 (hangup) endpos=1600"])
        #expect(events == [.response(.success(AGIResult(result: "-1", data: "hangup", attributes: ["endpos": "1600"])))])
        guard case .response(.success(let result)) = events.first else { Issue.record("no result"); return }
        #expect(result.endPosition == 1600)
        #expect(result.isFailure)
    }

    @Test func errorsAndMultiLineUsage() throws {
        let events = try decode([
            "510 Invalid or unknown command",
            "520-Invalid command syntax.  Proper usage follows:",
            " Usage: GET DATA <file to be streamed> [timeout] [maxdigits]",
            "  Stream the given file, and receive DTMF data.",
            "520 End of proper usage.",
            "520 Invalid command syntax.  Proper usage not available.",
        ])
        #expect(
            events == [
                .response(.invalidCommand(message: "Invalid or unknown command")),
                .response(
                    .usage(text: " Usage: GET DATA <file to be streamed> [timeout] [maxdigits]\n  Stream the given file, and receive DTMF data.")),
                .response(.usage(text: "Invalid command syntax.  Proper usage not available.")),
            ])
    }

    @Test func hangupAnywhereIsItsOwnEvent() throws {
        #expect(try decode(["HANGUP", "200 result=1", "HANGUP"]) == [.hangup, .response(.success(AGIResult(result: "1"))), .hangup])
    }

    @Test(arguments: ["GET / HTTP/1.1", "2", "200result=1", "200 res=1", "999 nope", "agi_channel: x", ""])
    func garbageIsAProtocolError(_ line: String) {
        var decoder = AGIResponseDecoder()
        #expect(throws: AGIProtocolError.self) { try decoder.lineReceived(line) }
    }

    @Test func endlessUsageBodyIsCut() throws {
        var decoder = AGIResponseDecoder(maximumUsageLines: 3)
        _ = try decoder.lineReceived("520-Invalid command syntax.  Proper usage follows:")
        for _ in 0..<3 { _ = try decoder.lineReceived("more") }
        #expect(throws: AGIProtocolError.usageTooLong(limit: 3)) { try decoder.lineReceived("more") }
    }
}
