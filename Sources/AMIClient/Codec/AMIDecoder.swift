import AMIModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An incremental decoder of the Asterisk Manager Interface byte stream.
///
/// Feed it bytes as they arrive, in any split, then call ``next()`` until it returns nil:
///
/// ```
/// Asterisk Call Manager/11.0.0\r\n         -> .banner("Asterisk Call Manager/11.0.0")
/// Response: Success\r\n                     ┐
/// ActionID: tap-login\r\n                   │ -> .message(Response, ActionID, Message)
/// Message: Authentication accepted\r\n      │
/// \r\n                                      ┘
/// Event: FullyBooted\r\n ...  \r\n          -> .message(Event, Privilege, ...)
/// ```
///
/// - Lines end in `\r\n` or a bare `\n` (some Asterisk versions ended events in `\r\n\n`); a
///   blank line ends a message; extra blank lines between messages are skipped.
/// - A field is split at the first colon, so values may contain `: ` (CEL `Extra` is JSON);
///   the one space after the colon is dropped, the rest of the value is kept as sent. Keys keep their
///   spelling and may repeat.
/// - `Response: Follows` switches to raw command output up to `--END COMMAND--`
///   (see ``AMICommandOutput``).
/// - Anything over ``AMIDecoderLimits`` or not shaped `Key: Value` yields one
///   ``AMIDecoderOutput/rejected(_:)``; the decoder then drops bytes up to the next blank line
///   and carries on. It never holds more than one unfinished line (bounded by
///   ``AMIDecoderLimits/maxLineLength``) plus the message being assembled.
/// - The search for a line end resumes where the previous one stopped, so a long line arriving
///   a byte at a time costs linear, not quadratic, time.
/// - A message whose blank line is already buffered takes a faster two-pass path
///   (`AMIDecoder+WholeMessage.swift`) with exactly the same results.
///
/// The decoder does no I/O and keeps no clock: the same bytes give the same outputs however
/// they were split.
public struct AMIDecoder: Sendable {
    private enum Mode: Sendable {
        /// Reading `Key: Value` lines.
        case fields
        /// Inside `Response: Follows` output, up to `--END COMMAND--`.
        case commandOutput
        /// Just after `--END COMMAND--`: the blank line that follows it is skipped.
        case afterCommandOutput
        /// Dropping lines up to the next blank one after a rejection. `lineStartDropped` is true
        /// when the start of the current line was already thrown away (so it is not blank).
        case discarding(lineStartDropped: Bool)
    }

    /// The limits this decoder enforces.
    public let limits: AMIDecoderLimits

    private var buffer: [UInt8] = []
    /// Start of the bytes not yet consumed.
    var readIndex = 0
    /// Where the search for the next line end resumes (never before `readIndex`).
    var scanIndex = 0
    private var mode = Mode.fields
    private var message = AMIMessage()
    /// Wire bytes (line ends included) of the message being assembled.
    private var messageBytes = 0
    private var commandLines: [String] = []
    /// Size of the last message, used to reserve storage for the next one in one allocation.
    private var capacityHint = (bytes: 512, fields: 16)
    /// Scratch space of the whole-message fast path, kept to avoid an allocation per message.
    private var fieldLocations: [FieldLocation] = []

    /// A decoder that enforces `limits`.
    public init(limits: AMIDecoderLimits = .default) {
        self.limits = limits
    }

    /// Bytes fed but not yet part of a complete line (at most one unfinished line).
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// True when a message has started but its closing blank line has not arrived.
    public var isInsideMessage: Bool {
        switch mode {
        case .fields: !message.isEmpty
        case .commandOutput: true
        case .afterCommandOutput, .discarding: false
        }
    }

    /// Appends bytes received from the peer. Call ``next()`` afterwards.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Appends bytes received from the peer. Call ``next()`` afterwards.
    public mutating func feed(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { feed($0) }
    }

    /// The next banner, message, command output or rejection, or nil when more bytes are needed.
    public mutating func next() -> AMIDecoderOutput? {
        // A second reference keeps the bytes alive while `self` is mutated; `buffer` itself is
        // not written until the next `feed`, so this costs no copy.
        let bytes = buffer
        return bytes.withUnsafeBytes { nextOutput(in: $0) }
    }

    /// Tells the decoder the stream has ended. Returns ``AMIDecodingError/truncated(byteCount:)``
    /// when it ended inside a message or a line, and resets the decoder for a new stream.
    public mutating func finish() -> AMIDecoderOutput? {
        var dropped = bufferedByteCount
        if case .discarding = mode { dropped = 0 }
        if isInsideMessage { dropped += messageBytes }
        buffer = []
        readIndex = 0
        scanIndex = 0
        mode = .fields
        resetMessage()
        return dropped > 0 ? .rejected(.truncated(byteCount: dropped)) : nil
    }

    // MARK: - Lines

    private mutating func nextOutput(in raw: UnsafeRawBufferPointer) -> AMIDecoderOutput? {
        while true {
            // The fast path only starts where nothing has been scanned yet: a first line that
            // is still arriving stays with the line-by-line path, which remembers how far it
            // looked, so a long line fed a byte at a time is not rescanned on every call.
            if case .fields = mode, message.isEmpty, scanIndex == readIndex {
                var locations: [FieldLocation] = []
                swap(&locations, &fieldLocations)
                let whole = decodeWholeMessage(in: raw, locations: &locations)
                swap(&locations, &fieldLocations)
                if let whole { return .message(whole) }
            }
            guard let newline = findNewline(in: raw) else { return dropOversizedPartialLine(in: raw) }
            let wireLength = newline + 1 - readIndex
            var end = newline
            if end > readIndex, raw[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            let line = UnsafeRawBufferPointer(rebasing: raw[readIndex ..< end])
            readIndex = newline + 1
            scanIndex = readIndex
            if line.count > limits.maxLineLength {
                if case .discarding = mode {
                    mode = .discarding(lineStartDropped: false)
                    continue
                }
                return reject(.lineTooLong(limit: limits.maxLineLength))
            }
            if let output = consume(line: line, wireLength: wireLength) { return output }
        }
    }

    private mutating func findNewline(in raw: UnsafeRawBufferPointer) -> Int? {
        guard scanIndex < raw.count, let base = raw.baseAddress else { return nil }
        guard let found = memchr(base + scanIndex, Int32(UInt8(ascii: "\n")), raw.count - scanIndex) else {
            scanIndex = raw.count
            return nil
        }
        return UnsafeRawPointer(found) - base
    }

    /// An unfinished line longer than the limit is dropped at once, so memory stays bounded
    /// whatever the peer sends; the rest of its message is dropped as it arrives.
    private mutating func dropOversizedPartialLine(in raw: UnsafeRawBufferPointer) -> AMIDecoderOutput? {
        // One byte of slack: a line of exactly the limit may still be waiting for the LF after
        // its CR, and must be judged as it would be in one piece (found by fuzzing).
        guard raw.count - readIndex > limits.maxLineLength + 1 else { return nil }
        readIndex = raw.count
        scanIndex = raw.count
        if case .discarding = mode {
            mode = .discarding(lineStartDropped: true)
            return nil
        }
        let output = reject(.lineTooLong(limit: limits.maxLineLength))
        mode = .discarding(lineStartDropped: true)
        return output
    }

    private mutating func consume(line: UnsafeRawBufferPointer, wireLength: Int) -> AMIDecoderOutput? {
        switch mode {
        case .fields:
            return consumeField(line, wireLength: wireLength)
        case .commandOutput:
            return consumeCommandLine(line, wireLength: wireLength)
        case .afterCommandOutput:
            mode = .fields
            return line.isEmpty ? nil : consumeField(line, wireLength: wireLength)
        case .discarding(let lineStartDropped):
            mode = line.isEmpty && !lineStartDropped ? .fields : .discarding(lineStartDropped: false)
            return nil
        }
    }

    private mutating func consumeField(_ line: UnsafeRawBufferPointer, wireLength: Int) -> AMIDecoderOutput? {
        if line.isEmpty {
            return message.isEmpty ? nil : .message(takeMessage())
        }
        let colon: Int
        switch Self.keyEnd(in: line) {
        case .colon(let index):
            colon = index
        case .noColon:
            if message.isEmpty, Self.hasPrefix(line, Self.bannerPrefix) {
                return .banner(String(decoding: line, as: UTF8.self))
            }
            return reject(.malformedLine(excerpt: AMIDecodingError.excerpt(of: line)))
        case .invalidKey:
            return reject(.malformedLine(excerpt: AMIDecodingError.excerpt(of: line)))
        }
        let key = UnsafeRawBufferPointer(rebasing: line[..<colon])
        // Only the one space Asterisk writes after the colon is dropped: values may start with
        // spaces of their own (VarSet of the RTCP statistics variables, `Value:    minrxmes=…`).
        var valueStart = colon + 1
        if valueStart < line.count, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let value = UnsafeRawBufferPointer(rebasing: line[valueStart...])
        if let error = admit(wireLength: wireLength) { return reject(error) }
        if message.isEmpty { message.reserveCapacity(bytes: capacityHint.bytes, fields: capacityHint.fields) }
        message.append(key: key, value: value)
        if key.count == 8, value.count == 7, Self.equalsIgnoringCase(key, Self.responseKey),
           Self.equalsIgnoringCase(value, Self.followsValue) {
            mode = .commandOutput
        }
        return nil
    }

    private mutating func consumeCommandLine(_ line: UnsafeRawBufferPointer, wireLength: Int) -> AMIDecoderOutput? {
        if let error = admit(wireLength: wireLength) { return reject(error) }
        if Self.hasSuffix(line, Self.endCommand) {
            // Asterisk appends the terminator right after the CLI text, so it shares a line with
            // the last output line when that text has no final newline.
            let text = UnsafeRawBufferPointer(rebasing: line[..<(line.count - Self.endCommand.count)])
            if !text.isEmpty { commandLines.append(String(decoding: text, as: UTF8.self)) }
            let output = AMICommandOutput(header: takeMessage(), lines: commandLines)
            commandLines = []
            mode = .afterCommandOutput
            return .commandOutput(output)
        }
        if commandLines.isEmpty, let colon = Self.firstColon(in: line) {
            let key = UnsafeRawBufferPointer(rebasing: line[..<colon])
            if Self.equalsIgnoringCase(key, Self.actionIDKey) || Self.equalsIgnoringCase(key, Self.privilegeKey) {
                var valueStart = colon + 1
                if valueStart < line.count, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
                message.append(key: key, value: UnsafeRawBufferPointer(rebasing: line[valueStart...]))
                return nil
            }
        }
        commandLines.append(String(decoding: line, as: UTF8.self))
        return nil
    }

    /// Counts one more line against the limits, or says which limit it breaks.
    private mutating func admit(wireLength: Int) -> AMIDecodingError? {
        messageBytes += wireLength
        if messageBytes > limits.maxMessageBytes { return .messageTooLarge(limit: limits.maxMessageBytes) }
        if message.count + commandLines.count >= limits.maxFields { return .tooManyFields(limit: limits.maxFields) }
        return nil
    }

    private mutating func reject(_ error: AMIDecodingError) -> AMIDecoderOutput {
        resetMessage()
        mode = .discarding(lineStartDropped: false)
        return .rejected(error)
    }

    private mutating func takeMessage() -> AMIMessage {
        let taken = message
        capacityHint = (max(64, taken.byteCount), max(4, taken.count))
        message = AMIMessage()
        messageBytes = 0
        return taken
    }

    private mutating func resetMessage() {
        message = AMIMessage()
        messageBytes = 0
        commandLines = []
    }

    private mutating func compact() {
        guard readIndex > 0 else { return }
        if readIndex == buffer.count {
            // Let go of a large buffer left by one big feed; keep an ordinary one for reuse.
            if buffer.capacity > 4 * limits.maxLineLength { buffer = [] } else { buffer.removeAll(keepingCapacity: true) }
        } else {
            buffer.removeSubrange(0 ..< readIndex)
        }
        scanIndex -= readIndex
        readIndex = 0
    }
}
