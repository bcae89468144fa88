/// The endpoint part of an Asterisk channel name: `PJSIP/101-0000001a` -> technology `PJSIP`,
/// endpoint `101`.
///
/// Asterisk names a channel `<tech>/<endpoint>-<8 hex digits>`; the endpoint may itself contain
/// `-`, so only a final `-` followed by exactly eight hex digits is removed. `Local/…` channels
/// (a dialplan hop, not a phone) and names without a sequence suffix give `nil`, since they
/// name no one's phone.
public struct ChannelEndpoint: Sendable, Equatable {
    public var technology: String
    public var endpoint: String

    public init?(channelName: String) {
        guard let slash = channelName.firstIndex(of: "/") else { return nil }
        let technology = channelName[..<slash]
        let rest = channelName[channelName.index(after: slash)...]
        guard !technology.isEmpty, technology != "Local", let dash = rest.lastIndex(of: "-") else { return nil }
        let sequence = rest[rest.index(after: dash)...]
        guard sequence.count == 8, sequence.allSatisfy(\.isHexDigit) else { return nil }
        let endpoint = rest[..<dash]
        guard CallerInput.isEndpointName(endpoint) else { return nil }
        self.technology = String(technology)
        self.endpoint = String(endpoint)
    }
}
