@testable import AGIHandlers
import PBXSimulator
import Testing

@Suite struct AGICommandTests {
    static let hostileValues = [
        "plain", "", "with space", "tab\there", "quote \" inside", "back\\slash", "ends with backslash \\",
        "\" ; VERBOSE \"injected\" 1", "\\\" escaped quote", "Ольга Петрова", "emoji 📞", "${SHELL(rm -rf /)}",
        String(repeating: "x", count: 4000),
    ]

    @Test(arguments: hostileValues)
    func valuesReachAsteriskAsExactlyOneArgument(_ value: String) throws {
        let line = String(decoding: try AGICommand.setVariable("ROUTE_EMPLOYEE_NAME", value).encoded(), as: UTF8.self)
        #expect(line.hasSuffix("\n"))
        #expect(line.dropLast().contains("\n") == false)
        #expect(AsteriskArgumentSplitter.split(String(line.dropLast())) == ["SET", "VARIABLE", "ROUTE_EMPLOYEE_NAME", value])
    }

    @Test(arguments: ["a\nVERBOSE x 1", "a\r\nHANGUP", "nul\u{0}byte", "\r"])
    func lineBreaksAndNulAreRefused(_ value: String) {
        #expect(throws: AGIProtocolError.self) { try AGICommand.setVariable("X", value).encoded() }
        #expect(throws: AGIProtocolError.self) { try AGICommand.verbose(value).encoded() }
        #expect(throws: AGIProtocolError.self) { try AGICommand.streamFile(value).encoded() }
    }

    @Test(arguments: ["", "A B", "A\"", "NAME;", "X\n", "$(x)"])
    func invalidVariableNamesAreRefused(_ name: String) {
        #expect(throws: AGIProtocolError.self) { try AGICommand.setVariable(name, "v") }
        let forged = AGICommand(words: ["SET", "VARIABLE"], arguments: [.name(name), .text("v")], worksOnDeadChannel: true)
        #expect(throws: AGIProtocolError.self) { try forged.encoded() }
    }

    @Test func linesLongerThanAsteriskBufferAreRefused() throws {
        let fits = String(repeating: "a", count: 8000)
        _ = try AGICommand.verbose(fits).encoded()
        let tooLong = String(repeating: "a", count: 8190)
        #expect(throws: AGIProtocolError.self) { try AGICommand.verbose(tooLong).encoded() }
    }

    @Test func commandsEncodeAsAsteriskDocumentsThem() throws {
        #expect(String(decoding: try AGICommand.answer.encoded(), as: UTF8.self) == "ANSWER\n")
        #expect(
            String(decoding: try AGICommand.getData("calljournal/en/enter-value", timeoutMilliseconds: 6000, maxDigits: 9).encoded(), as: UTF8.self)
                == "GET DATA \"calljournal/en/enter-value\" 6000 9\n")
        #expect(
            String(decoding: try AGICommand.getFullVariable("${CHANNEL(linkedid)}").encoded(), as: UTF8.self)
                == "GET FULL VARIABLE \"${CHANNEL(linkedid)}\"\n")
        #expect(String(decoding: try AGICommand.streamFile("beep").encoded(), as: UTF8.self) == "STREAM FILE \"beep\" \"\"\n")
    }

    @Test func deadChannelFlagsFollowAsterisk() {
        #expect(AGICommand.verbose("x").worksOnDeadChannel)
        #expect(AGICommand.getVariable("X").worksOnDeadChannel)
        #expect(AGICommand.getFullVariable("${X}").worksOnDeadChannel)
        #expect(!AGICommand.answer.worksOnDeadChannel)
        #expect(!AGICommand.streamFile("beep").worksOnDeadChannel)
        #expect(!AGICommand.getData("x", timeoutMilliseconds: 1, maxDigits: 1).worksOnDeadChannel)
    }
}
