public import NIOCore

/// An IPv4 or IPv6 network in CIDR notation (`10.20.0.0/16`, `fd00::/8`) or a single address
/// (`192.0.2.7`), used for the FastAGI client allowlist.
///
/// An IPv4-mapped IPv6 client address (`::ffff:192.0.2.7`, seen on dual-stack listeners) is
/// compared as the IPv4 address it carries.
public struct AGIAddressRange: Sendable, Hashable, CustomStringConvertible {
    /// The network's address bytes (4 for IPv4, 16 for IPv6), host bits cleared.
    public let network: [UInt8]
    /// How many leading bits must match.
    public let prefixLength: Int

    /// `127.0.0.0/8`: the IPv4 loopback network, always allowed.
    public static let ipv4Loopback = AGIAddressRange(network: [127, 0, 0, 0], prefixLength: 8)
    /// `::1/128`: the IPv6 loopback address, always allowed.
    public static let ipv6Loopback = AGIAddressRange(network: Array(repeating: 0, count: 15) + [1], prefixLength: 128)

    private init(network: [UInt8], prefixLength: Int) {
        self.network = Self.masked(network, prefixLength: prefixLength)
        self.prefixLength = prefixLength
    }

    /// Parses `address` or `address/prefix`; `nil` when it is not a valid IP network.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let bytes = Self.addressBytes(String(parts[0])) else { return nil }
        let maximum = bytes.count * 8
        var prefix = maximum
        if parts.count == 2 {
            guard var parsed = Int(parts[1]) else { return nil }
            // `::ffff:10.0.0.0/104` is an IPv4-mapped network written in IPv6 terms: 96 bits of mapping prefix, then
            // the IPv4 prefix. It is kept as the IPv4 network it maps (`10.0.0.0/8`), as client addresses are.
            if bytes.count == 4, parts[0].contains(":") {
                guard parsed >= 96 else { return nil }
                parsed -= 96
            }
            guard (0...maximum).contains(parsed) else { return nil }
            prefix = parsed
        }
        self.init(network: bytes, prefixLength: prefix)
    }

    public var description: String {
        let address =
            network.count == 4
            ? network.map(String.init).joined(separator: ".")
            : stride(from: 0, to: 16, by: 2).map { String(UInt16(network[$0]) << 8 | UInt16(network[$0 + 1]), radix: 16) }
                .joined(separator: ":")
        return "\(address)/\(prefixLength)"
    }

    /// Whether `address` lies inside this network.
    public func contains(_ address: SocketAddress) -> Bool {
        guard let bytes = Self.addressBytes(of: address), bytes.count == network.count else { return false }
        return Self.masked(bytes, prefixLength: prefixLength) == network
    }

    /// The raw address bytes of a socket address, IPv4-mapped IPv6 unwrapped to IPv4. Read
    /// straight from the `sockaddr`: this runs for every accepted connection.
    static func addressBytes(of address: SocketAddress) -> [UInt8]? {
        addressBytes(parsed: address)
    }

    private static func addressBytes(_ text: String) -> [UInt8]? {
        guard !text.isEmpty, let parsed = try? SocketAddress(ipAddress: text, port: 0) else { return nil }
        return addressBytes(parsed: parsed)
    }

    private static func addressBytes(parsed: SocketAddress) -> [UInt8]? {
        switch parsed {
        case .v4(let v4):
            return withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case .v6(let v6):
            let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF { return Array(bytes[12...]) }
            return bytes
        case .unixDomainSocket:
            return nil
        }
    }

    private static func masked(_ bytes: [UInt8], prefixLength: Int) -> [UInt8] {
        var result = bytes
        for index in result.indices {
            let bitsInByte = max(0, min(8, prefixLength - index * 8))
            result[index] &= bitsInByte == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - bitsInByte))
        }
        return result
    }
}
