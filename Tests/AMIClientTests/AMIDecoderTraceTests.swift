import AMIClient
import AMIModel
import TestFixtures
import Testing

/// The decoder over every recorded Asterisk 22 AMI stream.
@Suite struct AMIDecoderTraceTests {
    static let traces = Fixtures.scenarios

    @Test(arguments: traces)
    func everyEventOfTheTraceIsDecodedAsGrepCountsIt(_ scenario: String) throws {
        let bytes = try Fixtures.data(scenario, "ami.raw")
        let outputs = decode(bytes)
        var decoded: [String: Int] = [:]
        for message in messages(outputs) {
            if let name = message.eventName { decoded[name, default: 0] += 1 }
        }
        #expect(decoded == grepEventCounts(bytes))
        #expect(decoded.values.reduce(0, +) > 20)
        #expect(rejections(outputs).isEmpty)
    }

    @Test(arguments: traces)
    func theStreamOpensWithBannerAndLoginResponse(_ scenario: String) throws {
        let outputs = decode(try Fixtures.data(scenario, "ami.raw"))
        #expect(outputs.first == .banner("Asterisk Call Manager/11.0.0"))
        guard case .message(let login) = outputs.dropFirst().first else {
            Issue.record("no login response after the banner")
            return
        }
        #expect(login.response == "Success")
        #expect(login.actionID == "tap-login")
        #expect(login["message"] == "Authentication accepted")
        #expect(messages(outputs).dropFirst().first?.eventName == "FullyBooted")
    }

    @Test(arguments: traces)
    func everyByteIsConsumed(_ scenario: String) throws {
        let bytes = try Fixtures.data(scenario, "ami.raw")
        var decoder = AMIDecoder()
        decoder.feed(bytes)
        var count = 0
        while decoder.next() != nil { count += 1 }
        #expect(count > 0)
        #expect(decoder.bufferedByteCount == 0)
        #expect(!decoder.isInsideMessage)
        #expect(decoder.finish() == nil)
        // The wire bytes of every field, blank line and banner add up to the file.
        let lineEnds = bytes.filter { $0 == UInt8(ascii: "\n") }.count
        let colonSpaces = messages(decode(bytes)).reduce(0) { $0 + $1.count * 2 }
        let fieldBytes = messages(decode(bytes)).reduce(0) { $0 + $1.byteCount }
        let banner = "Asterisk Call Manager/11.0.0".utf8.count
        #expect(fieldBytes + colonSpaces + banner + 2 * lineEnds == bytes.count)
    }

    @Test(arguments: traces)
    func feedingByteByByteGivesTheSameOutputs(_ scenario: String) throws {
        let bytes = try Fixtures.data(scenario, "ami.raw")
        let whole = decode(bytes)
        let byteByByte = decode(chunks: bytes.indices.map { bytes[$0 ... $0] })
        #expect(byteByByte == whole)
    }

    @Test(arguments: traces)
    func splittingAtEveryBoundaryGivesTheSameOutputs(_ scenario: String) throws {
        // Every two-piece split of the opening (banner, login response, first events) and
        // three-piece splits spread over the whole stream.
        let bytes = try Fixtures.data(scenario, "ami.raw")
        let opening = Array(bytes.prefix(3000))
        let expectedOpening = decode(chunks: [opening[...]], finish: false)
        for cut in 0 ... opening.count {
            let split = decode(chunks: [opening[..<cut], opening[cut...]], finish: false)
            if split != expectedOpening {
                Issue.record("split at byte \(cut) changed the outputs")
                return
            }
        }
        let expected = decode(bytes)
        var generator = SplitMix64(seed: UInt64(bytes.count))
        for _ in 0 ..< 200 {
            let first = Int(generator.next() % UInt64(bytes.count))
            let second = first + Int(generator.next() % UInt64(bytes.count - first))
            let split = decode(chunks: [bytes[..<first], bytes[first ..< second], bytes[second...]])
            #expect(split == expected, "split at \(first) and \(second)")
        }
    }

    @Test func celKeepsItsSpellingAndLooksUpCaseInsensitively() throws {
        let cel = try #require(messages(decode(try Fixtures.data("S1", "ami.raw"))).first { $0.eventName == "CEL" })
        #expect(cel.fields.map(\.key).contains("UniqueID"))
        #expect(cel["uniqueid"] == cel["UniqueID"])
        #expect(cel["Linkedid"] != nil)
    }

    @Test func celExtraJSONKeepsItsColons() throws {
        let bytes = try Fixtures.data("S1", "ami.raw")
        let extras = messages(decode(bytes)).compactMap { $0["Extra"] }.filter { $0.hasPrefix("{") }
        #expect(!extras.isEmpty)
        // The recorded line, e.g. `Extra: {"hangupcause":16,...}`, must come back unchanged.
        let text = String(decoding: bytes, as: UTF8.self)
        for extra in extras { #expect(text.contains("Extra: \(extra)\r\n")) }
    }

    @Test func leadingSpacesOfValuesAreKept() throws {
        // VarSet of the RTCP statistics pads its value: `Value:    minrxmes=…` (trace S1).
        let values = messages(decode(try Fixtures.data("S1", "ami.raw"))).compactMap { $0["Value"] }
        #expect(values.contains { $0.hasPrefix("   minrxmes=") })
    }

    @Test func emptyValuesStayEmpty() throws {
        let members = messages(decode(try Fixtures.data("S10", "ami.raw"))).filter { $0.eventName == "QueueMemberStatus" }
        #expect(!members.isEmpty)
        for member in members { #expect(member["PausedReason"] == "") }
    }
}

/// A small deterministic generator so a failing split can be reproduced.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
