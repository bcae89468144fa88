/// Checks the shape of an allowlist entry: an IPv4/IPv6 address or CIDR block.
enum AddressPattern {
    static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = parts.first else { return false }
        let isIPv6 = address.contains(":")
        if parts.count == 2 {
            guard let bits = Int(parts[1]), bits >= 0, bits <= (isIPv6 ? 128 : 32) else { return false }
        }
        if isIPv6 { return address.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." } && address.count >= 2 }
        let octets = address.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.allSatisfy { Int($0).map { (0 ... 255).contains($0) } ?? false }
    }
}
