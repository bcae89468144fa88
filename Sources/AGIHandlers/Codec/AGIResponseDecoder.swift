/// Turns lines from Asterisk (after the environment) into responses and hangup notices.
///
/// `HANGUP` is a line of its own that Asterisk writes when it notices the channel hung up. It is
/// not a response and may arrive before the response to the command in flight (S13: `HANGUP`
/// then `200 result=1` for a `VERBOSE`), between commands, or after the server closed its side
/// (every trace ends with it), so it is reported as a separate event wherever it appears.
public struct AGIResponseDecoder: Sendable {
    /// What one line amounted to.
    public enum Event: Sendable, Equatable {
        /// Asterisk noticed that the channel hung up.
        case hangup
        /// A complete response.
        case response(AGIResponse)
    }

    /// The most lines accepted in one `520` usage body.
    public let maximumUsageLines: Int
    private var usageLines: [String]?

    public init(maximumUsageLines: Int = 64) {
        self.maximumUsageLines = maximumUsageLines
    }

    /// Feeds one line (without its `\n`); returns an event, or `nil` inside a multi-line `520`.
    public mutating func lineReceived(_ line: String) throws(AGIProtocolError) -> Event? {
        if line == "HANGUP" { return .hangup }
        if var body = usageLines {
            if line.hasPrefix("520 ") {
                usageLines = nil
                return .response(.usage(text: body.joined(separator: "\n")))
            }
            guard body.count < maximumUsageLines else { throw .usageTooLong(limit: maximumUsageLines) }
            body.append(line)
            usageLines = body
            return nil
        }
        // The status code and its separator, read from the bytes (this runs for every response).
        var bytes = line.utf8.makeIterator()
        var code = 0
        for _ in 0..<3 {
            guard let byte = bytes.next(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else {
                throw .malformedResponse(prefix: AGIProtocolError.excerpt(line))
            }
            code = code * 10 + Int(byte - UInt8(ascii: "0"))
        }
        let separator = bytes.next() ?? UInt8(ascii: " ")
        let rest = String(line.utf8.dropFirst(4)) ?? ""
        switch (code, separator) {
        case (200, UInt8(ascii: " ")):
            return .response(.success(try Self.parseSuccess(rest, line: line)))
        case (510, UInt8(ascii: " ")):
            return .response(.invalidCommand(message: rest))
        case (511, UInt8(ascii: " ")):
            return .response(.deadChannel(message: rest))
        case (520, UInt8(ascii: "-")):
            usageLines = []
            return nil
        case (520, UInt8(ascii: " ")):
            return .response(.usage(text: rest))
        default:
            throw .malformedResponse(prefix: AGIProtocolError.excerpt(line))
        }
    }

    /// `result=<value>[ (<data>)][ key=value…]`.
    ///
    /// The data may itself contain spaces and parentheses (a `GET VARIABLE` of a caller name such
    /// as `Agent (101)`), so it runs to the last `)` that is followed only by `key=value` words.
    static func parseSuccess(_ text: String, line: String) throws(AGIProtocolError) -> AGIResult {
        guard text.hasPrefix("result=") else { throw .malformedResponse(prefix: AGIProtocolError.excerpt(line)) }
        // The usual answer, `result=1` and nothing after it (SET VARIABLE, VERBOSE).
        if !text.utf8.contains(UInt8(ascii: " ")) { return AGIResult(result: String(text.utf8.dropFirst(7)) ?? "") }
        let afterKey = text.dropFirst(7)
        let valueEnd = afterKey.firstIndex(of: " ") ?? afterKey.endIndex
        var result = AGIResult(result: String(afterKey[..<valueEnd]))
        var rest = afterKey[valueEnd...].drop { $0 == " " }
        if rest.first == "(" {
            let closing =
                rest.indices.reversed().first { index in
                    rest[index] == ")" && isAttributeList(rest[rest.index(after: index)...])
                } ?? rest.lastIndex(of: ")")
            if let closing {
                result.data = String(rest[rest.index(after: rest.startIndex)..<closing])
                rest = rest[rest.index(after: closing)...]
            }
        }
        for word in rest.split(separator: " ") {
            guard let equals = word.firstIndex(of: "=") else { continue }
            result.attributes[String(word[..<equals])] = String(word[word.index(after: equals)...])
        }
        return result
    }

    private static func isAttributeList(_ text: Substring) -> Bool {
        text.split(separator: " ").allSatisfy { word in
            guard let equals = word.firstIndex(of: "="), equals != word.startIndex else { return false }
            return word[..<equals].allSatisfy { $0.isLetter || $0 == "_" }
        }
    }
}
