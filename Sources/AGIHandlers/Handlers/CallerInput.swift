/// Checks for values that come from the call (caller ID, dialled digits, query parameters):
/// every such value is validated before it reaches a look-up, a channel variable or a Dial string.
public enum CallerInput {
    /// An extension as dialled: 1-20 characters of `0-9 * #`.
    public static func extensionNumber(_ text: String?) -> String? {
        guard let text, (1...20).contains(text.utf8.count),
            text.utf8.allSatisfy({ isDigit($0) || $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "#") })
        else { return nil }
        return text
    }

    /// Keys typed for a number (a category code, a value): digits only. `*` and `A`-`D` are keys too, but not part of
    /// a number.
    public static func isKeyedNumber(_ text: String) -> Bool {
        text.utf8.allSatisfy(isDigit)
    }

    /// A phone number reduced to its digits (`+7 (916) 123-45-67` -> `79161234567`), 3-20 digits;
    /// `nil` for anything with letters or other symbols.
    public static func phoneNumber(_ text: String?) -> String? {
        guard let text, text.utf8.count <= 40 else { return nil }
        let allowed = text.utf8.allSatisfy { byte in
            isDigit(byte) || [UInt8(ascii: "+"), UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "("), UInt8(ascii: ")")]
                .contains(byte)
        }
        guard allowed else { return nil }
        let digits = String(decoding: text.utf8.filter(isDigit), as: UTF8.self)
        return (3...20).contains(digits.utf8.count) ? digits : nil
    }

    /// A channel unique ID or linkedid: `<epoch>.<sequence>`, e.g. `1795358807.0`.
    public static func callIdentifier(_ text: String?) -> String? {
        guard let text, (3...40).contains(text.utf8.count) else { return nil }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(isDigit) }) else { return nil }
        return text
    }

    /// A SIP endpoint name usable in a Dial string: letters, digits, `_ . -`, 1-64 characters.
    public static func isEndpointName(_ text: Substring) -> Bool {
        (1...64).contains(text.utf8.count)
            && text.utf8.allSatisfy { byte in
                isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || [UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-")].contains(byte)
            }
    }

    /// Text for a channel variable or log line: control characters become spaces, length is bounded.
    public static func displayText(_ text: String, limit: Int = 128) -> String {
        // Most names are short printable text: hand them back without a walk over Characters.
        if text.utf8.count <= limit, text.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x7F }) { return text }
        return String(text.prefix(limit).map { $0.isASCII && ($0.asciiValue ?? 0) < 0x20 || $0 == "\u{7F}" ? " " : $0 })
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
