/// Follows what the server sends in one session against the commands it must send, byte for byte, so a session
/// that got other commands (or more, or fewer) is not counted as done.
struct CommandCheck: Sendable {
    let expected: [UInt8]
    /// How many bytes of `expected` have arrived; nil once something else did.
    private var matched: Int? = 0

    init(expected: [UInt8]) {
        self.expected = expected
    }

    /// Whether exactly the expected commands have arrived (the verdict once the server has closed).
    var isComplete: Bool { matched == expected.count }

    /// Takes the next bytes the server sent.
    mutating func received(_ bytes: some Collection<UInt8>) {
        guard let done = matched, done + bytes.count <= expected.count,
            expected[done..<done + bytes.count].elementsEqual(bytes)
        else {
            matched = nil
            return
        }
        matched = done + bytes.count
    }
}
