#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level helpers of the decoder: comparisons without building `String`s.
extension AMIDecoder {
    static let bannerPrefix = Array("Asterisk Call Manager".utf8)
    static let endCommand = Array("--END COMMAND--".utf8)
    static let responseKey = Array("response".utf8)
    static let followsValue = Array("follows".utf8)
    static let actionIDKey = Array("actionid".utf8)
    static let privilegeKey = Array("privilege".utf8)

    static func firstColon(in line: UnsafeRawBufferPointer) -> Int? {
        guard let base = line.baseAddress, !line.isEmpty,
              let found = memchr(base, Int32(UInt8(ascii: ":")), line.count)
        else { return nil }
        return UnsafeRawPointer(found) - base
    }

    /// A key is at least one byte with no control characters; anything else means the peer is
    /// not speaking AMI (or the stream lost its framing) and the message is rejected.
    static func isValidKey(_ key: UnsafeRawBufferPointer) -> Bool {
        guard !key.isEmpty else { return false }
        for byte in key where byte < 0x20 || byte == 0x7F { return false }
        return true
    }

    /// ASCII case-insensitive equality against a lower-case pattern.
    static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ lowercased: [UInt8]) -> Bool {
        guard bytes.count == lowercased.count else { return false }
        for index in 0 ..< bytes.count {
            var byte = bytes[index]
            if byte &- UInt8(ascii: "A") < 26 { byte |= 0x20 }
            if byte != lowercased[index] { return false }
        }
        return true
    }

    static func hasPrefix(_ bytes: UnsafeRawBufferPointer, _ prefix: [UInt8]) -> Bool {
        bytes.count >= prefix.count && bytes.prefix(prefix.count).elementsEqual(prefix)
    }

    static func hasSuffix(_ bytes: UnsafeRawBufferPointer, _ suffix: [UInt8]) -> Bool {
        bytes.count >= suffix.count && bytes.suffix(suffix.count).elementsEqual(suffix)
    }
}
