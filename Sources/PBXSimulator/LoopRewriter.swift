/// Makes round `n` of a replay look like new calls: fresh Uniqueids/Linkedids, bridge ids and caller numbers,
/// and timestamps moved to the round's place in time. Round 0 keeps ids and numbers as recorded.
struct LoopRewriter: Sendable {
    let round: Int
    /// Added to every `Timestamp`: moves the recording to now, and each round after the previous one.
    let timeShift: Double

    /// A value as this round shows it.
    func value(_ value: String, key: String) -> String {
        if key.caseInsensitiveCompare("Timestamp") == .orderedSame, let seconds = Double(value) {
            return String(format: "%.6f", seconds + timeShift)
        }
        guard round > 0 else { return value }
        return rewrite(value)
    }

    /// Ids and numbers inside free text too (AGI environment values, `agi_network_script` query strings).
    func text(_ text: String) -> String {
        guard round > 0 else { return text }
        var result = ""
        var token = ""
        for character in text {
            if character.isLetter || character.isNumber || character == "." || character == "-" {
                token.append(character)
            } else {
                result += rewrite(token) + String(character)
                token = ""
            }
        }
        return result + rewrite(token)
    }

    private func rewrite(_ value: String) -> String {
        let utf8 = Array(value.utf8)
        // Uniqueid / Linkedid: "<epoch>.<sequence>" with a 10-digit epoch.
        if let dot = utf8.firstIndex(of: UInt8(ascii: ".")), dot == 10, utf8.count <= 18,
           utf8.allSatisfy({ $0 == UInt8(ascii: ".") || (UInt8(ascii: "0") ... UInt8(ascii: "9")).contains($0) }),
           let epoch = Int(value.prefix(10)) {
            return "\(epoch + round * 100_000)" + value.dropFirst(10)
        }
        // Bridge ids are UUIDs: keep them unique per round.
        if utf8.count == 36, utf8[8] == UInt8(ascii: "-"), utf8[13] == UInt8(ascii: "-") {
            return value + "-\(round)"
        }
        // Outside callers (11-digit numbers starting with 79): a different caller each round.
        if utf8.count == 11, value.hasPrefix("79"), let rest = Int(value.dropFirst(2)) {
            let fresh = (rest + round * 7_919) % 1_000_000_000
            let digits = String(fresh)
            return "79" + String(repeating: "0", count: 9 - digits.count) + digits
        }
        return value
    }
}
