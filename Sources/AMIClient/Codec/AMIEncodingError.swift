/// Why an action could not be encoded. Values are never echoed (they may be secrets).
public enum AMIEncodingError: Error, Sendable, Hashable {
    /// A key, or the action name, is empty, holds a colon, or holds a control character.
    case invalidKey(String)
    /// The value of `key` holds a CR or LF, which would end the line and let the rest of the
    /// value be read as further fields or actions (header injection).
    case lineBreakInValue(key: String)
}

extension AMIEncodingError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .invalidKey(let key):
            "AMI action key \(key.debugDescription) is empty or holds a colon or control character"
        case .lineBreakInValue(let key):
            "AMI action field \(key.debugDescription) holds a CR or LF; refusing to send it"
        }
    }
}
