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

    enum KeyEnd {
        case colon(Int)
        case noColon
        case invalidKey
    }

    /// Finds the colon that ends the key, checking the key on the way: a key is at least one
    /// byte with no control characters; anything else means the peer is not speaking AMI (or
    /// the stream lost its framing) and the message is rejected.
    ///
    /// Keys are short (`Uniqueid`, `ChannelStateDesc`), so instead of a `memchr` call and a
    /// second pass this reads 8 bytes at a time and finds the first colon and the first control
    /// byte with bit tricks: `(x - 0x01…) & ~x & 0x80…` marks zero bytes, and the lowest mark
    /// is exact (a borrow can only add false marks above a true one).
    @inline(__always)
    static func keyEnd(in line: UnsafeRawBufferPointer) -> KeyEnd {
        guard let base = line.baseAddress else { return .noColon }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var index = 0
        while index + 8 <= line.count {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let colons = word ^ (ones &* UInt64(UInt8(ascii: ":")))
            let deletes = word ^ (ones &* 0x7F)
            let colonMarks = (colons &- ones) & ~colons & highs
            let controlMarks = ((word &- ones &* 0x20) & ~word & highs) | ((deletes &- ones) & ~deletes & highs)
            if colonMarks | controlMarks != 0 {
                if controlMarks.trailingZeroBitCount < colonMarks.trailingZeroBitCount { return .invalidKey }
                let colon = index + colonMarks.trailingZeroBitCount / 8
                return colon == 0 ? .invalidKey : .colon(colon)
            }
            index += 8
        }
        while index < line.count {
            let byte = line[index]
            if byte == UInt8(ascii: ":") { return index == 0 ? .invalidKey : .colon(index) }
            if byte < 0x20 || byte == 0x7F { return .invalidKey }
            index += 1
        }
        return .noColon
    }

    /// ASCII case-insensitive equality against a lower-case pattern.
    @inline(__always)
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
