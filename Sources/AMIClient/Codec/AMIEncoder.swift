/// Turns ``AMIAction``s into wire bytes, giving each one an `ActionID`.
///
/// ```
/// Action: Ping\r\n
/// ActionID: calljournal-1\r\n
/// \r\n
/// ```
///
/// An action without an `ActionID` gets `<prefix>-<n>`, with `n` counting up per encoder, so a
/// response can always be matched to its action. Keys must be non-empty without colons or
/// control characters, and no value may hold CR or LF: a newline inside a value would let a
/// caller-supplied string (a caller ID, a channel name) inject fields or whole actions.
public struct AMIEncoder: Sendable {
    /// The prefix of generated action ids.
    public let actionIDPrefix: String
    private var sequence = 0

    /// An encoder whose generated ids look like `<actionIDPrefix>-1`, `-2`, ….
    public init(actionIDPrefix: String = "calljournal") {
        self.actionIDPrefix = actionIDPrefix
    }

    /// Encodes `action`, returning the `ActionID` it was sent with and its bytes.
    public mutating func encode(_ action: AMIAction) throws(AMIEncodingError) -> (actionID: String, bytes: [UInt8]) {
        let actionID: String
        if let given = action.actionID {
            actionID = given
        } else {
            sequence += 1
            actionID = "\(actionIDPrefix)-\(sequence)"
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64 + action.fields.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count + 4 })
        try Self.append(key: "Action", value: action.name, to: &bytes)
        try Self.append(key: "ActionID", value: actionID, to: &bytes)
        for field in action.fields {
            try Self.append(key: field.key, value: field.value, to: &bytes)
        }
        bytes.append(contentsOf: [UInt8(ascii: "\r"), UInt8(ascii: "\n")])
        return (actionID, bytes)
    }

    private static func append(key: String, value: String, to bytes: inout [UInt8]) throws(AMIEncodingError) {
        guard !key.isEmpty, !key.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: ":") }) else {
            throw .invalidKey(key)
        }
        guard !value.utf8.contains(where: { $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }) else {
            throw .lineBreakInValue(key: key)
        }
        bytes.append(contentsOf: key.utf8)
        bytes.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
        bytes.append(contentsOf: value.utf8)
        bytes.append(contentsOf: [UInt8(ascii: "\r"), UInt8(ascii: "\n")])
    }
}
