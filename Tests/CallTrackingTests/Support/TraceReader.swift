import AMIModel

/// Splits a recorded `ami.raw` into AMI messages, for the tests.
///
/// Messages are separated by an empty line; each line is `Key: value` (the value may be empty, `Key:` alone is
/// accepted too). Line ends may be `\r\n` or `\n`. Lines without a colon, such as the banner
/// `Asterisk Call Manager/11.0.0`, are skipped.
enum TraceReader {
    static func messages(_ bytes: [UInt8]) -> [AMIMessage] {
        var messages: [AMIMessage] = []
        var current = AMIMessage()
        // Split on the byte: as Characters, "\r\n" is one grapheme and would never equal "\n".
        for rawLine in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            let line = rawLine.last == UInt8(ascii: "\r") ? rawLine.dropLast() : rawLine
            if line.isEmpty {
                if !current.isEmpty { messages.append(current) }
                current = AMIMessage()
                continue
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
            var value = line[(colon + 1)...]
            if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
            current.append(
                key: String(decoding: line[..<colon], as: UTF8.self), value: String(decoding: value, as: UTF8.self)
            )
        }
        if !current.isEmpty { messages.append(current) }
        return messages
    }
}
