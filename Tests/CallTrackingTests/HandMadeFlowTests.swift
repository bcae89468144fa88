import AMIModel
import CallTracking
import Foundation
import Testing

/// Call flows of other PBXs that the recordings do not cover, from what Asterisk's source says the events carry.
@Suite struct HandMadeFlowTests {
    typealias Channel = HandMadeStream.Channel

    private static let directory = EndpointDirectory(
        employeesByEndpoint: ["101": TrackedEmployee(id: 1, extensionNumber: "101"),
                              "102": TrackedEmployee(id: 2, extensionNumber: "102")],
        trunkEndpoints: ["provider", "IAX2/*"])

    private func finished(_ stream: HandMadeStream) -> [CallRecord] {
        var replay = Replay(directory: Self.directory)
        replay.feed(stream.events)
        #expect(replay.tracker.callsInProgress == 0)
        return replay.finished.map(\.record)
    }

    /// A FreePBX-style queue on Asterisk 13 with chan_sip: the member is `Local/101@from-queue/n`, whose `;2` half
    /// dials the phone; `/n` keeps both bridges for the whole call (`main/core_local.c`, `apps/app_queue.c`).
    @Test func queueMemberBehindALocalChannelAnswers() {
        var s = HandMadeStream()
        var caller = Channel(name: "SIP/provider-0000001f", uniqueid: "1700.31", linkedid: "1700.31",
                             callerID: "79161112233", context: "from-pstn", exten: "5551000", state: 4)
        var one = Channel(name: "Local/101@from-queue-00000002;1", uniqueid: "1700.32", linkedid: "1700.31",
                          callerID: "79161112233", context: "from-queue", exten: "101")
        var two = Channel(name: "Local/101@from-queue-00000002;2", uniqueid: "1700.33", linkedid: "1700.31",
                          callerID: "79161112233", context: "from-queue", exten: "101")
        var phone = Channel(name: "SIP/101-00000021", uniqueid: "1700.34", linkedid: "1700.31",
                            callerID: "101", context: "from-internal", exten: "101")
        s.at(0); s.emit("Newchannel", caller)
        caller.state = 6; s.emit("Newstate", caller)
        s.emit("QueueCallerJoin", caller, nil, [("Queue", "400"), ("Position", "2"), ("Count", "2")])
        s.at(1); s.emit("Newchannel", one); s.emit("Newchannel", two)
        s.emit("LocalBridge", nil, nil, Array(HandMadeStream.block(one, prefix: "LocalOne") + HandMadeStream.block(two, prefix: "LocalTwo")
            + [("Context", "from-queue"), ("Exten", "101"), ("LocalOptimization", "No")]))
        s.emit("DialBegin", caller, ("Dest", one), [("DialString", "Local/101@from-queue/n")])
        s.emit("Newchannel", phone)
        s.emit("DialBegin", two, ("Dest", phone), [("DialString", "101")])
        s.at(4); phone.state = 6; s.emit("Newstate", phone)
        s.emit("DialEnd", two, ("Dest", phone), [("DialStatus", "ANSWER")])
        two.state = 6; one.state = 6; s.emit("Newstate", two); s.emit("Newstate", one)
        s.emit("BridgeEnter", two, nil, [("BridgeUniqueid", "b2")]); s.emit("BridgeEnter", phone, nil, [("BridgeUniqueid", "b2")])
        s.emit("DialEnd", caller, ("Dest", one), [("DialStatus", "ANSWER")])
        s.emit("QueueCallerLeave", caller, nil, [("Queue", "400"), ("Position", "1"), ("Count", "0")])
        s.emit("AgentConnect", caller, ("Dest", one), [("Queue", "400"), ("HoldTime", "4"), ("RingTime", "3")])
        s.emit("BridgeEnter", caller, nil, [("BridgeUniqueid", "b1")]); s.emit("BridgeEnter", one, nil, [("BridgeUniqueid", "b1")])
        s.at(14); s.emit("HangupRequest", caller, nil, [("Cause", "16")])
        s.emit("BridgeLeave", caller, nil, [("BridgeUniqueid", "b1")]); s.emit("BridgeLeave", one, nil, [("BridgeUniqueid", "b1")])
        s.emit("Hangup", caller, nil, [("Cause", "16"), ("Cause-txt", "Normal Clearing")])
        s.emit("Hangup", one, nil, [("Cause", "16"), ("Cause-txt", "Normal Clearing")])
        s.emit("BridgeLeave", two, nil, [("BridgeUniqueid", "b2")]); s.emit("BridgeLeave", phone, nil, [("BridgeUniqueid", "b2")])
        s.emit("Hangup", two, nil, [("Cause", "16"), ("Cause-txt", "Normal Clearing")])
        s.emit("Hangup", phone, nil, [("Cause", "16"), ("Cause-txt", "Normal Clearing")])

        let calls = finished(s)
        #expect(calls.count == 1)
        let call = calls[0]
        #expect(call.direction == .inbound)
        #expect(call.status == .answered)
        #expect(call.didNumber == "5551000")
        #expect(call.queueName == "400")
        #expect(call.answeredExtension == "101")
        #expect(call.legs.map(\.employeeExtension) == ["101"], "Local channels are no one's leg")
        #expect(call.waitSeconds == 4)
        #expect(isClose(call.talkSeconds, to: 10, within: 0.01))
        #expect(call.hungUpFirst == .client)
    }

    /// Follow-me without `/n`: the Local pair optimises itself away and the phone's channel moves into the caller's
    /// bridge (`LocalOptimizationBegin`, `BridgeLeave`, `BridgeEnter` with `SwapUniqueid`, `LocalOptimizationEnd`;
    /// `main/core_local.c`, `main/bridge.c`). Changing bridges is not the end of the conversation.
    @Test func aLocalChannelOptimisedAwayKeepsTheConversation() {
        var s = HandMadeStream()
        var caller = Channel(name: "IAX2/hq-4711", uniqueid: "1700.41", linkedid: "1700.41",
                             callerID: "79035550000", context: "from-pstn", exten: "5551001", state: 4)
        var one = Channel(name: "Local/FMPR-102@from-internal-0000000a;1", uniqueid: "1700.42", linkedid: "1700.41",
                          callerID: "79035550000", context: "from-internal", exten: "FMPR-102")
        var two = Channel(name: "Local/FMPR-102@from-internal-0000000a;2", uniqueid: "1700.43", linkedid: "1700.41",
                          callerID: "79035550000", context: "from-internal", exten: "FMPR-102")
        var phone = Channel(name: "PJSIP/102-00000005", uniqueid: "1700.44", linkedid: "1700.41",
                            callerID: "102", context: "from-internal", exten: "102")
        s.at(0); s.emit("Newchannel", caller)
        s.emit("Newchannel", one); s.emit("Newchannel", two)
        s.emit("DialBegin", caller, ("Dest", one), [("DialString", "Local/FMPR-102@from-internal")])
        s.emit("Newchannel", phone)
        s.emit("DialBegin", two, ("Dest", phone), [("DialString", "102")])
        s.at(3); phone.state = 6; s.emit("Newstate", phone)
        s.emit("DialEnd", two, ("Dest", phone), [("DialStatus", "ANSWER")])
        two.state = 6; one.state = 6; caller.state = 6
        s.emit("BridgeEnter", two, nil, [("BridgeUniqueid", "b2")]); s.emit("BridgeEnter", phone, nil, [("BridgeUniqueid", "b2")])
        s.emit("DialEnd", caller, ("Dest", one), [("DialStatus", "ANSWER")])
        s.emit("BridgeEnter", caller, nil, [("BridgeUniqueid", "b1")]); s.emit("BridgeEnter", one, nil, [("BridgeUniqueid", "b1")])
        s.at(3.2)
        s.emit("LocalOptimizationBegin", nil, nil, Array(HandMadeStream.block(one, prefix: "LocalOne")
            + HandMadeStream.block(two, prefix: "LocalTwo") + HandMadeStream.block(phone, prefix: "Source")
            + [("DestUniqueId", two.uniqueid), ("Id", "1")]))
        s.emit("BridgeLeave", phone, nil, [("BridgeUniqueid", "b2")])
        s.emit("BridgeLeave", one, nil, [("BridgeUniqueid", "b1")])
        s.emit("BridgeEnter", phone, nil, [("BridgeUniqueid", "b1"), ("SwapUniqueid", one.uniqueid)])
        s.emit("LocalOptimizationEnd", nil, nil, Array(HandMadeStream.block(one, prefix: "LocalOne")
            + HandMadeStream.block(two, prefix: "LocalTwo") + [("Success", "Yes"), ("Id", "1")]))
        s.emit("BridgeLeave", two, nil, [("BridgeUniqueid", "b2")])
        s.emit("Hangup", one, nil, [("Cause", "16"), ("Cause-txt", "Normal Clearing")])
        s.emit("Hangup", two, nil, [("Cause", "16"), ("Cause-txt", "Normal Clearing")])
        s.at(13); s.emit("HangupRequest", phone, nil, [("Cause", "16")])
        s.emit("BridgeLeave", phone, nil, [("BridgeUniqueid", "b1")]); s.emit("BridgeLeave", caller, nil, [("BridgeUniqueid", "b1")])
        s.emit("Hangup", phone, nil, [("Cause", "16"), ("Cause-txt", "Normal Clearing")])
        s.emit("Hangup", caller, nil, [("Cause", "16"), ("Cause-txt", "Normal Clearing")])

        let calls = finished(s)
        #expect(calls.count == 1)
        #expect(calls.first?.direction == .inbound, "IAX2/* names every IAX2 channel a trunk")
        #expect(calls.first?.status == .answered)
        #expect(calls.first?.answeredExtension == "102")
        #expect(isClose(calls.first?.talkSeconds, to: 10, within: 0.01))
        #expect(calls.first?.legs.first?.endedAt == Date(timeIntervalSince1970: 1_800_000_013))
        #expect(calls.first?.hungUpFirst == .employee)
    }

    /// The queue's timeout sends the caller on to voicemail, where they hang up: missed, not abandoned
    /// (`QueueCallerLeave` without `QueueCallerAbandon`, `apps/app_queue.c`).
    @Test func aQueueTimeoutIsMissedWhateverTheCallerDoesNext() {
        var s = HandMadeStream()
        let caller = Channel(name: "SIP/provider-00000040", uniqueid: "1700.51", linkedid: "1700.51",
                             callerID: "79260001122", context: "from-pstn", exten: "5551200", state: 6)
        let phone = Channel(name: "SIP/101-00000041", uniqueid: "1700.52", linkedid: "1700.51",
                            callerID: "101", context: "from-internal", exten: "101")
        s.at(0); s.emit("Newchannel", caller)
        s.emit("QueueCallerJoin", caller, nil, [("Queue", "support"), ("Position", "3"), ("Count", "3")])
        s.emit("Newchannel", phone)
        s.emit("DialBegin", caller, ("Dest", phone), [("DialString", "SIP/101")])
        s.at(30); s.emit("DialEnd", caller, ("Dest", phone), [("DialStatus", "CANCEL")])
        s.emit("Hangup", phone, nil, [("Cause", "26"), ("Cause-txt", "Answered elsewhere")])
        s.emit("QueueCallerLeave", caller, nil, [("Queue", "support"), ("Position", "1"), ("Count", "0")])
        s.at(45); s.emit("HangupRequest", caller, nil, [("Cause", "16")])
        s.emit("Hangup", caller, nil, [("Cause", "16"), ("Cause-txt", "Normal Clearing")])

        let call = finished(s).first
        #expect(call?.status == .missed)
        #expect(call?.queueName == "support")
        #expect(call?.queuePosition == 3)
        #expect(call?.hungUpFirst == .client)
    }

    /// What `route` chose stays on the call: a blind transfer into the agents' context runs `route` again on the
    /// caller's channel (trace S8), and sets the variables again for the target.
    @Test func theRoutedEmployeeIsTheFirstOneChosen() {
        var s = HandMadeStream()
        let caller = Channel(name: "PJSIP/trunk-00000001", uniqueid: "1700.61", linkedid: "1700.61",
                             callerID: "79160001234", context: "from-trunk", exten: "5551000", state: 4)
        let phone = Channel(name: "PJSIP/102-00000002", uniqueid: "1700.62", linkedid: "1700.61",
                            callerID: "102", context: "from-agents", exten: "5551000")
        s.at(0); s.emit("Newchannel", caller)
        s.emit("VarSet", caller, nil, [("Variable", "ROUTE_STATUS"), ("Value", "OK")])
        s.emit("VarSet", caller, nil, [("Variable", "ROUTE_EMPLOYEE_ID"), ("Value", "1")])
        s.emit("VarSet", caller, nil, [("Variable", "ROUTE_DEPARTMENT"), ("Value", "Sales")])
        s.emit("VarSet", caller, nil, [("Variable", "ROUTE_EMPLOYEE_ID"), ("Value", "2")])
        s.emit("Newchannel", phone)
        s.emit("DialBegin", caller, ("Dest", phone), [("DialString", "102")])
        s.at(20); s.emit("DialEnd", caller, ("Dest", phone), [("DialStatus", "NOANSWER")])
        s.emit("Hangup", phone, nil, [("Cause", "19")])
        s.emit("SoftHangupRequest", caller, nil, [("Cause", "16")])
        s.emit("Hangup", caller, nil, [("Cause", "16")])

        let call = finished(s).first
        #expect(call?.requestedEmployeeID == 1)
        #expect(call?.requestedDepartment == "Sales")
        #expect(call?.routeStatus == "OK")
        #expect(call?.status == .missed)
        #expect(call?.answeredEmployeeID == nil)
    }

    /// AMI 1.x (Asterisk 11) names no Linkedid in its channel events (`main/channel.c` of 11): nothing is tracked,
    /// rather than every channel becoming a call of its own.
    @Test func eventsWithoutALinkedidInventNoCall() {
        var replay = Replay(directory: Self.directory)
        let stamp = ("Timestamp", "1800000000.0")
        replay.feed([
            AMIMessage([("Event", "Newchannel"), stamp, ("Channel", "SIP/provider-00000001"), ("ChannelState", "4"),
                        ("CallerIDNum", "79160001234"), ("Exten", "5551000"), ("Uniqueid", "1800000000.1")]),
            AMIMessage([("Event", "Newchannel"), stamp, ("Channel", "SIP/101-00000002"), ("ChannelState", "0"),
                        ("CallerIDNum", "101"), ("Exten", "s"), ("Uniqueid", "1800000000.2")]),
            AMIMessage([("Event", "Hangup"), stamp, ("Channel", "SIP/101-00000002"), ("Uniqueid", "1800000000.2"),
                        ("Cause", "16")]),
            AMIMessage([("Event", "Hangup"), stamp, ("Channel", "SIP/provider-00000001"), ("Uniqueid", "1800000000.1"),
                        ("Cause", "16")]),
        ])
        #expect(replay.updates.isEmpty)
        #expect(replay.tracker.channelsInProgress == 0)
    }
}
