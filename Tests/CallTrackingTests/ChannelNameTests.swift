@testable import CallTracking
import Foundation
import Testing

@Suite struct ChannelNameTests {
    @Test func endpointIsTheResourceWithoutTheSequenceSuffix() {
        #expect(ChannelName.endpoint(of: "PJSIP/101-00000001") == "101")
        #expect(ChannelName.endpoint(of: "PJSIP/trunk-0000000d") == "trunk")
        #expect(ChannelName.endpoint(of: "PJSIP/my-trunk-0000000d") == "my-trunk")
        #expect(ChannelName.endpoint(of: "SIP/sasha123-0000abcd") == "sasha123")
        #expect(ChannelName.endpoint(of: "Local/102@from-agents-00000001;1") == nil)
        #expect(ChannelName.endpoint(of: "nonsense") == nil)
    }

    /// The names `chan_iax2.c` (`IAX2/%s-%d`), `chan_dahdi.c` (`DAHDI/%d-%d`, `DAHDI/i%d/%s-%x`) and masquerades give.
    @Test func otherTechnologiesNameTheirEndpoint() {
        #expect(ChannelName.endpoint(of: "IAX2/hq-4711") == "hq")
        #expect(ChannelName.endpoint(of: "IAX2/198.51.100.7:4569-3") == "198.51.100.7:4569")
        #expect(ChannelName.endpoint(of: "DAHDI/1-1") == "1")
        #expect(ChannelName.endpoint(of: "DAHDI/i1/79161234567-3") == "i1")
        #expect(ChannelName.endpoint(of: "SIP/101-0000000a<ZOMBIE>") == "101")
        #expect(ChannelName.technology(of: "DAHDI/i1/79161234567-3") == "DAHDI")
    }

    /// S7: `DialString: 74951112233@trunk`; a queue dials `PJSIP/101`.
    @Test func dialedNumberDropsTechnologyTrunkAndScheme() {
        #expect(ChannelName.dialedNumber(fromDialString: "74951112233@trunk") == "74951112233")
        #expect(ChannelName.dialedNumber(fromDialString: "trunk/sip:74951112233@10.0.0.1") == "74951112233")
        #expect(ChannelName.dialedNumber(fromDialString: "PJSIP/101") == "101")
        #expect(ChannelName.dialedNumber(fromDialString: "") == nil)
    }

    @Test func olderLinkedidComparesEpochThenCounter() {
        #expect(AMIValue.older("1795358928.17", "1795358934.19") == "1795358928.17")
        #expect(AMIValue.older("1795358934.9", "1795358934.10") == "1795358934.9")
        #expect(AMIValue.older("pbx1-1795358934.10", "pbx1-1795358928.17") == "pbx1-1795358928.17")
    }

    @Test func fieldValues() {
        #expect(AMIValue.seconds(fromDuration: "01:02:03") == 3723)
        #expect(AMIValue.seconds(fromDuration: "x") == nil)
        #expect(AMIValue.meaningful("<unknown>") == nil)
        #expect(AMIValue.meaningful("") == nil)
        #expect(AMIValue.meaningful("101") == "101")
        #expect(AMIValue.date(fromTimestamp: "1795358807.5") == Date(timeIntervalSince1970: 1_795_358_807.5))
    }
}
