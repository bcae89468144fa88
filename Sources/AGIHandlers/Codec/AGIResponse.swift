/// Asterisk's answer to one AGI command.
///
/// ```
/// 200 result=0 endpos=3404                    STREAM FILE, no key pressed (S1)
/// 200 result=500                              GET DATA, digits 500 (the # is not included)
/// 200 result=12 (timeout)                     GET DATA, timed out after 12
/// 200 result=1 (PJSIP/trunk-0000000e)         GET VARIABLE, value in parentheses
/// 200 result=-1                               the channel hung up during the command (S13)
/// 510 Invalid or unknown command
/// 511 Command Not Permitted on a dead channel or intercept routine      (S8, S9)
/// 520-Invalid command syntax.  Proper usage follows:
///  Usage: GET DATA <file to be streamed> [timeout] [maxdigits]
/// 520 End of proper usage.
/// ```
public enum AGIResponse: Sendable, Equatable {
    /// `200`: the command ran; see ``AGIResult``.
    case success(AGIResult)
    /// `510`: Asterisk does not know the command.
    case invalidCommand(message: String)
    /// `511`: the channel is gone (hung up) or in an intercept routine; channel commands are refused.
    case deadChannel(message: String)
    /// `520`: wrong arguments; the usage text Asterisk sent, one line per usage line.
    case usage(text: String)
}

/// The body of a `200` response.
public struct AGIResult: Sendable, Equatable {
    /// The text after `result=`, e.g. `1`, `-1`, `500`, or empty (`GET DATA` with no key).
    public var result: String
    /// The text in parentheses, e.g. a variable's value or `timeout`; `nil` when absent.
    public var data: String?
    /// `key=value` pairs after the result and data, e.g. `endpos`.
    public var attributes: [String: String]

    public init(result: String, data: String? = nil, attributes: [String: String] = [:]) {
        self.result = result
        self.data = data
        self.attributes = attributes
    }

    /// `result` as a number, when it is one.
    public var integer: Int? { Int(result) }
    /// `result=-1`: the command failed, for channel commands because the channel hung up.
    public var isFailure: Bool { result == "-1" }
    /// `(timeout)` was reported (`GET DATA`, `WAIT FOR DIGIT`).
    public var isTimeout: Bool { data == "timeout" }
    /// The sample position where playback stopped (`STREAM FILE`), when reported.
    public var endPosition: Int? { attributes["endpos"].flatMap { Int($0) } }
}
