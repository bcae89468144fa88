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

    init(uniqueid: String, name: String, linkedid: String, isUp: Bool, directory: EndpointDirectory) {
        self.uniqueid = uniqueid
        self.name = name
        self.linkedid = linkedid
        self.isUp = isUp
        let endpoint = ChannelName.endpoint(of: name)
        self.endpoint = endpoint
        if let endpoint, directory.trunkEndpoints.contains(endpoint) {
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
    /// extension, so the call is kept but not attributed to them.
    func makeLeg(order: Int, startedAt: Date) -> CallLeg {
        var leg = CallLeg(uniqueid: uniqueid, channel: name, endpoint: endpoint ?? name, legOrder: order, startedAt: startedAt)
        if let employee {
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
