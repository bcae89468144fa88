/// Text from the PBX as the journal stores it.
///
/// Caller numbers and names, channel names and the other values AMI reports come from the outside world: a caller
/// can put any byte in them. C0 control characters (0x00–0x1F) and DEL (0x7F) are replaced by `?`, the rule the
/// FastAGI server applies to what it logs: PostgreSQL cannot store NUL in text, and a NUL would otherwise fail the
/// whole batch it is in (22P02), keeping the call, and every call written with it, out of the journal. Other
/// characters, Cyrillic names included, are kept as they are.
enum JournalText {
    static func clean(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return text }
        return String(decoding: text.utf8.map { $0 < 0x20 || $0 == 0x7F ? UInt8(ascii: "?") : $0 }, as: UTF8.self)
    }
}
