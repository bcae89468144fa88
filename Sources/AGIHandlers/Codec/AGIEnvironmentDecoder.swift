/// Collects the environment block line by line and enforces its limits.
///
/// ```
/// agi_network: yes\n
/// agi_network_script: route?did=5551000&cid=79161234567\n
/// …
/// agi_threadid: 140563176240832\n
/// \n                      <- end of the block
/// ```
///
/// Limits count the bytes of every line including its `\n`; a peer that is not Asterisk (an HTTP
/// probe, a port scanner) fails on its first line because it does not start with `agi_`.
public struct AGIEnvironmentDecoder: Sendable {
    /// Limits applied while the environment is read.
    public struct Limits: Sendable, Equatable {
        /// The most bytes in the whole block, line ends included.
        public var maximumBytes: Int
        /// The most lines in the block, the final empty line excluded.
        public var maximumLines: Int

        public init(maximumBytes: Int = 16_384, maximumLines: Int = 256) {
            self.maximumBytes = maximumBytes
            self.maximumLines = maximumLines
        }
    }

    public let limits: Limits
    private var variables: [(name: String, value: String)] = []
    private var byteCount = 0

    public init(limits: Limits = Limits()) {
        self.limits = limits
        variables.reserveCapacity(24)
    }

    /// Feeds one line (without its `\n`); returns the environment once the blank line arrives.
    public mutating func lineReceived(_ line: String) throws(AGIProtocolError) -> AGIEnvironment? {
        var line = line
        // Split on the UTF-8 bytes: about 22 lines arrive with every call, so no Character walks.
        let parsed = line.withUTF8 { bytes -> (name: String, value: String)? in
            guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), Self.isVariableName(bytes[..<colon]) else {
                return nil
            }
            var valueStart = colon + 1
            if valueStart < bytes.count, bytes[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
            return (
                String(decoding: UnsafeBufferPointer(rebasing: bytes[..<colon]), as: UTF8.self),
                String(decoding: UnsafeBufferPointer(rebasing: bytes[valueStart...]), as: UTF8.self)
            )
        }
        byteCount += line.utf8.count + 1
        if byteCount > limits.maximumBytes { throw .environmentTooLarge(limitBytes: limits.maximumBytes) }
        if line.isEmpty { return try AGIEnvironment(variables: variables) }
        if variables.count >= limits.maximumLines { throw .tooManyEnvironmentLines(limit: limits.maximumLines) }
        guard let parsed else { throw .malformedEnvironmentLine(prefix: AGIProtocolError.excerpt(line)) }
        variables.append(parsed)
        return nil
    }

    /// `agi_` followed by lowercase letters, digits and `_`.
    private static func isVariableName(_ name: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard name.count > 4, name.starts(with: "agi_".utf8) else { return false }
        return name.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_")
        }
    }
}
