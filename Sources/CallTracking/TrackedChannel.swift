import Foundation

/// What the tracker remembers about one live channel while its call is in progress.
struct TrackedChannel: Sendable {
    /// Who is on the other end of the channel, decided once from the directory when the channel is first seen.
    enum Role: Sendable, Equatable {
        /// A trunk endpoint: the outside world.
        case trunk
        /// An employee's endpoint (or, in replay mode, any endpoint that is not a trunk).
        case employee
        /// Anything else: `Local/` channels, unknown endpoints.
        case other
    }

    let uniqueid: String
    let name: String
    let endpoint: String?
    let role: Role
    /// The directory entry of the endpoint's owner; nil for trunks, other channels and unknown employee endpoints.
    let employee: TrackedEmployee?
    /// The call (Linkedid) the channel belongs to. Nil after CEL `LINKEDID_END` showed that the channel was re-linked
    /// to another call, until one of its events says which.
    var linkedid: String?
    var isUp: Bool
    /// The bridge the channel is in, if any (`BridgeEnter` / `BridgeLeave`).
    var bridgeID: String?
    /// CEL reported the channel's end; its AMI `Hangup` is still to come.
    var isEnding = false
    /// When the tracker first saw the channel.
    let firstSeenAt: Date
    /// The number a `Dial` dialled on this channel (`DialBegin` `DialString`, without the trunk part).
    var dialedNumber: String?
    /// Calls the channel was moved out of by a pickup, a park retrieval or a transfer. Events that still carry one
    /// of these Linkedids are older than the move (Asterisk re-links the channel only when it enters the bridge,
    /// trace S19) and do not move it back.
    var formerLinkedids: [String] = []

    init(uniqueid: String, name: String, linkedid: String, isUp: Bool, at time: Date, directory: EndpointDirectory) {
        self.uniqueid = uniqueid
        self.name = name
        self.linkedid = linkedid
        self.isUp = isUp
        self.firstSeenAt = time
        let endpoint = ChannelName.endpoint(of: name)
        self.endpoint = endpoint
        if let endpoint, directory.isTrunk(technology: String(ChannelName.technology(of: name)), endpoint: endpoint) {
            role = .trunk
            employee = nil
        } else if let endpoint, let owner = directory.employeesByEndpoint[endpoint] {
            role = .employee
            employee = owner
        } else if endpoint != nil, directory.unknownEndpointsAreEmployees {
            role = .employee
            employee = nil
        } else {
            role = .other
            employee = nil
        }
    }

    /// A new leg of a call for this channel. Employees flagged ignore-in-journal get a leg without their id or
    /// extension, so the call is kept but not attributed to them. A trunk channel's leg (an outside number the call
    /// was put through to) carries the number, and the employee whose phone number it is.
    func makeLeg(order: Int, startedAt: Date, directory: EndpointDirectory) -> CallLeg {
        var leg = CallLeg(uniqueid: uniqueid, channel: name, endpoint: endpoint ?? name, legOrder: order, startedAt: startedAt)
        if role == .trunk {
            leg.externalNumber = dialedNumber
            if let dialedNumber, let owner = directory.employeesByPhone[dialedNumber] {
                leg.employeeID = owner.ignoreInJournal ? nil : owner.id
                leg.employeeExtension = owner.ignoreInJournal ? nil : owner.extensionNumber
            }
        } else if let employee {
            if !employee.ignoreInJournal {
                leg.employeeID = employee.id
                leg.employeeExtension = employee.extensionNumber
            }
        } else {
            leg.employeeExtension = endpoint
        }
        return leg
    }
}
