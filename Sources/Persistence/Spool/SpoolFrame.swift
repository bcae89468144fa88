/// The framing of one spool record:
///
/// ```
/// +------+------------------+------------------+-----------------+
/// | CJS1 | length (u32, BE) | CRC-32 (u32, BE) | payload (length) |
/// +------+------------------+------------------+-----------------+
/// ```
///
/// A crash can leave a torn last record; a bad disk can damage one in the middle. Scanning stops trusting bytes at
/// the first frame that does not check out and looks for the next `CJS1` magic, so every intact record is replayed
/// and the damage is counted.
enum SpoolFrame {
    static let magic: [UInt8] = Array("CJS1".utf8)
    static let headerSize = 12
    /// No single record may be larger than this (a batch of thousands of calls is a few MB).
    static let maximumPayload = 64 << 20

    static func encode(_ payload: [UInt8]) -> [UInt8] {
        var frame = magic
        frame.reserveCapacity(headerSize + payload.count)
        append(UInt32(payload.count), to: &frame)
        append(CRC32.checksum(payload), to: &frame)
        frame.append(contentsOf: payload)
        return frame
    }

    /// The intact payloads of a segment's bytes, and how many bytes were skipped as damaged or torn.
    static func scan(_ bytes: [UInt8]) -> (payloads: [[UInt8]], damagedBytes: Int) {
        var payloads: [[UInt8]] = []
        var damaged = 0, offset = 0
        while offset < bytes.count {
            if let (payload, size) = frame(in: bytes, at: offset) {
                payloads.append(payload)
                offset += size
                continue
            }
            // Resynchronise at the next magic.
            var next = offset + 1
            while next + magic.count <= bytes.count, !bytes[next ..< next + magic.count].elementsEqual(magic) { next += 1 }
            if next + magic.count > bytes.count { next = bytes.count }
            damaged += next - offset
            offset = next
        }
        return (payloads, damaged)
    }

    private static func frame(in bytes: [UInt8], at offset: Int) -> ([UInt8], Int)? {
        guard offset + headerSize <= bytes.count, bytes[offset ..< offset + 4].elementsEqual(magic) else { return nil }
        let length = Int(read(bytes, at: offset + 4)), checksum = read(bytes, at: offset + 8)
        guard length <= maximumPayload, offset + headerSize + length <= bytes.count else { return nil }
        let payload = Array(bytes[offset + headerSize ..< offset + headerSize + length])
        guard CRC32.checksum(payload) == checksum else { return nil }
        return (payload, headerSize + length)
    }

    private static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)])
    }

    private static func read(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset ..< offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
