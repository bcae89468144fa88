/// An action to send to Asterisk: its name, an optional `ActionID`, and its fields in order.
///
/// ```swift
/// let status = AMIAction("CoreShowChannels")
/// let hangup = AMIAction("Hangup", ["Channel": "PJSIP/101-00000004", "Cause": "16"])
/// ```
///
/// When `actionID` is nil the ``AMIEncoder`` assigns one, so every action on the wire carries an
/// `ActionID` and its response can be matched. Values are checked for CR/LF only when the action
/// is encoded (``AMIEncodingError``). The description hides the values of `Secret` and `Key`.
public struct AMIAction: Sendable, Hashable {
    /// One `Key: Value` field of an action.
    public struct Field: Sendable, Hashable {
        public var key: String
        public var value: String

        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// The action name, sent as `Action: <name>`.
    public var name: String
    /// The correlation id, or nil to let the encoder choose one.
    public var actionID: String?
    /// The other fields, in the order they are sent.
    public var fields: [Field]

    /// An action with the given fields, sent in the order written.
    public init(_ name: String, actionID: String? = nil, _ fields: KeyValuePairs<String, String> = [:]) {
        self.name = name
        self.actionID = actionID
        self.fields = fields.map { Field(key: $0.key, value: $0.value) }
    }

    /// Appends a field; keys may repeat (`Variable` in `Originate`).
    public mutating func append(_ key: String, _ value: String) {
        fields.append(Field(key: key, value: value))
    }

    /// The value of the first field named `key` (ASCII case-insensitive), or nil.
    public subscript(key: String) -> String? {
        fields.first { $0.key.lowercased() == key.lowercased() }?.value
    }
}

extension AMIAction {
    /// `Ping`: answered by `Response: Success` with `Ping: Pong`; used as the keepalive.
    public static func ping() -> AMIAction { AMIAction("Ping") }

    /// `Challenge` with `AuthType: MD5`: asks for the nonce of an MD5 login.
    public static func challenge() -> AMIAction { AMIAction("Challenge", ["AuthType": "MD5"]) }

    /// A plain `Login` that sends the secret itself.
    public static func login(username: String, secret: String, events: String) -> AMIAction {
        AMIAction("Login", ["Username": username, "Secret": secret, "Events": events])
    }

    /// An MD5 `Login`: `Key` is the lower-case hex MD5 of the challenge followed by the secret.
    public static func login(username: String, challenge: String, secret: String, events: String) -> AMIAction {
        let key = MD5.hexDigest(Array(challenge.utf8) + Array(secret.utf8))
        return AMIAction("Login", ["AuthType": "MD5", "Username": username, "Key": key, "Events": events])
    }
}

extension AMIAction: CustomStringConvertible {
    /// `Action: Login, Username: lab, Secret: <redacted>`: safe to log.
    public var description: String {
        var parts = ["Action: \(name)"]
        if let actionID { parts.append("ActionID: \(actionID)") }
        for field in fields {
            let hidden = ["secret", "key"].contains(field.key.lowercased())
            parts.append("\(field.key): \(hidden ? "<redacted>" : field.value)")
        }
        return parts.joined(separator: ", ")
    }
}
