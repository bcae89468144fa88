/// Splits the bytes of a FastAGI connection into lines.
///
/// Asterisk ends every line with a bare `\n` (see any `*.asterisk.raw` trace); a `\r` before it
/// is tolerated and removed. The framer remembers how far it has already scanned, so a long
/// line that arrives one byte at a time is still scanned once (linear, not quadratic).
///
/// ```
/// a g i _ c h a n n e l : ␠ P J S I P / 1 0 1 - 0 0 0 0 0 0 0 1 \n 2 0 0 ␠ r e s …
/// └────────────── line 1 ──────────────────────────────────────┘    └── line 2 (incomplete)
/// ```
///
/// A line longer than `maximumLineLength` (excluding its terminator) is an error: the
/// connection is then closed rather than buffered without bound.
public struct AGILineFramer: Sendable {
    /// The longest accepted line, in bytes, without its line end.
    public let maximumLineLength: Int

    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var scanIndex = 0

    public init(maximumLineLength: Int) {
        precondition(maximumLineLength > 0, "a line limit must be positive")
        self.maximumLineLength = maximumLineLength
    }

    /// Bytes received but not yet returned as lines.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Appends received bytes.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        compactIfUseful()
        buffer.append(contentsOf: bytes)
    }

    /// Appends received bytes from raw memory (as handed out by a network buffer).
    public mutating func append(contentsOf bytes: UnsafeRawBufferPointer) {
        compactIfUseful()
        buffer.append(contentsOf: bytes)
    }

    /// The next complete line without its terminator, or `nil` when more bytes are needed.
    ///
    /// Invalid UTF-8 is replaced with U+FFFD rather than rejected: channel variables and caller
    /// names are whatever the PBX holds, and one bad byte must not end a call's session.
    public mutating func nextLine() throws(AGIProtocolError) -> String? {
        while scanIndex < buffer.count {
            if buffer[scanIndex] == UInt8(ascii: "\n") {
                var end = scanIndex
                if end > readIndex, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                if end - readIndex > maximumLineLength { throw .lineTooLong(limit: maximumLineLength) }
                let line = String(decoding: buffer[readIndex..<end], as: UTF8.self)
                scanIndex += 1
                readIndex = scanIndex
                return line
            }
            scanIndex += 1
        }
        // Allow one extra byte for a `\r` that may still be followed by `\n`.
        if buffer.count - readIndex > maximumLineLength + 1 { throw .lineTooLong(limit: maximumLineLength) }
        return nil
    }

    private mutating func compactIfUseful() {
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 16_384)
            readIndex = 0
            scanIndex = 0
        } else if readIndex > 4096, readIndex * 2 > buffer.count {
            buffer.removeFirst(readIndex)
            scanIndex -= readIndex
            readIndex = 0
        }
    }
}
