import AMIClient
import AMIModel
import Testing

@Suite struct AMIEncoderTests {
    @Test func everyActionGetsAnActionID() throws {
        var encoder = AMIEncoder(actionIDPrefix: "cj")
        let first = try encoder.encode(.ping())
        let second = try encoder.encode(AMIAction("CoreShowChannels"))
        #expect(first.actionID == "cj-1")
        #expect(second.actionID == "cj-2")
        #expect(String(decoding: first.bytes, as: UTF8.self) == "Action: Ping\r\nActionID: cj-1\r\n\r\n")
    }

    @Test func aGivenActionIDIsKeptAndFieldsKeepTheirOrder() throws {
        var encoder = AMIEncoder()
        var action = AMIAction("Originate", actionID: "mine", ["Channel": "PJSIP/101", "Exten": "102"])
        action.append("Variable", "A=1")
        action.append("Variable", "B=2")
        let encoded = try encoder.encode(action)
        #expect(encoded.actionID == "mine")
        #expect(String(decoding: encoded.bytes, as: UTF8.self) == "Action: Originate\r\nActionID: mine\r\n"
            + "Channel: PJSIP/101\r\nExten: 102\r\nVariable: A=1\r\nVariable: B=2\r\n\r\n")
    }

    @Test(arguments: ["evil\r\nAction: Hangup", "evil\nChannel: x", "cr\r"])
    func lineBreaksInValuesAreRejected(_ value: String) {
        var encoder = AMIEncoder()
        #expect(throws: AMIEncodingError.lineBreakInValue(key: "CallerID")) {
            try encoder.encode(AMIAction("Originate", ["CallerID": value]))
        }
    }

    @Test(arguments: ["", "Bad:Key", "Bad\nKey"])
    func invalidKeysAreRejected(_ key: String) {
        var encoder = AMIEncoder()
        #expect(throws: AMIEncodingError.invalidKey(key)) {
            try encoder.encode(AMIAction("Originate", [key: "v"]))
        }
    }

    @Test func anEncodedActionDecodesToTheSameFields() throws {
        var encoder = AMIEncoder()
        let action = AMIAction.login(username: "lab", secret: "s3cr:et", events: "call,cdr")
        let encoded = try encoder.encode(action)
        let decoded = messages(decode(encoded.bytes))
        #expect(decoded.count == 1)
        #expect(decoded.first?.fields.map(\.key) == ["Action", "ActionID", "Username", "Secret", "Events"])
        #expect(decoded.first?["Secret"] == "s3cr:et")
    }

    @Test func descriptionsNeverShowSecrets() {
        let plain = AMIAction.login(username: "lab", secret: "labsecret", events: "on")
        let md5 = AMIAction.login(username: "lab", challenge: "123", secret: "labsecret", events: "on")
        #expect(!plain.description.contains("labsecret"))
        #expect(!md5.description.contains(md5["Key"] ?? "missing"))
        #expect(plain.description.contains("Username: lab"))
    }

    @Test func theMD5LoginKeyIsTheDigestOfChallengeAndSecret() {
        let action = AMIAction.login(username: "lab", challenge: "840427339", secret: "labsecret", events: "on")
        // md5("840427339labsecret"), computed with md5sum.
        #expect(action["Key"] == "d71bbcb1d7963d5ccae09d156ce0b089")
        #expect(action["AuthType"] == "MD5")
    }
}
