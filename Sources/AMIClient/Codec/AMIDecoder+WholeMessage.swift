import AMIModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The fast path: a message whose closing blank line is already buffered is decoded in two
/// passes, one to find its fields and one to copy them into storage of the exact size.
///
/// It gives exactly what the line-by-line path gives; whenever a message needs anything but
/// plain fields (banner, `Response: Follows`, a malformed or oversized line, a missing end) it
/// leaves the message untouched for that path. The fuzzer checks the two agree, since whole
/// inputs take this path and split inputs mostly the other.
extension AMIDecoder {
    /// Where a field lies in the receive buffer.
    struct FieldLocation {
        var keyStart: Int
        var keyLength: Int
        var valueStart: Int
        var valueLength: Int
    }

    /// Decodes the message starting at `readIndex` if it is complete and plain. Returns nil
    /// (and changes nothing but `locations`) otherwise.
    mutating func decodeWholeMessage(in raw: UnsafeRawBufferPointer, locations: inout [FieldLocation]) -> AMIMessage? {
        guard let base = raw.baseAddress else { return nil }
        locations.removeAll(keepingCapacity: true)
        var position = readIndex
        var wireBytes = 0
        var fieldBytes = 0
        while true {
            guard position < raw.count,
                  let found = memchr(base + position, Int32(UInt8(ascii: "\n")), raw.count - position)
            else { return nil }
            let newline = UnsafeRawPointer(found) - base
            var end = newline
            if end > position, raw[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            if end == position {
                guard !locations.isEmpty else { return nil }  // stray blank lines: the slow path skips them
                readIndex = newline + 1
                scanIndex = readIndex
                break
            }
            let line = UnsafeRawBufferPointer(rebasing: raw[position ..< end])
            guard line.count <= limits.maxLineLength, case .colon(let colon) = Self.keyEnd(in: line) else { return nil }
            var valueStart = colon + 1
            if valueStart < line.count, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
            let location = FieldLocation(
                keyStart: position, keyLength: colon, valueStart: position + valueStart, valueLength: line.count - valueStart
            )
            if location.keyLength == 8, location.valueLength == 7,
               Self.equalsIgnoringCase(UnsafeRawBufferPointer(rebasing: line[..<8]), Self.responseKey),
               Self.equalsIgnoringCase(UnsafeRawBufferPointer(rebasing: line[valueStart...]), Self.followsValue) {
                return nil
            }
            wireBytes += newline + 1 - position
            guard wireBytes <= limits.maxMessageBytes, locations.count < limits.maxFields else { return nil }
            locations.append(location)
            fieldBytes += location.keyLength + location.valueLength
            position = newline + 1
        }
        return Self.message(copying: locations, from: base, byteCount: fieldBytes)
    }

    private static func message(copying locations: [FieldLocation], from base: UnsafeRawPointer, byteCount: Int) -> AMIMessage {
        var spans: [AMIMessage.Span] = []
        spans.reserveCapacity(locations.count)
        let storage = [UInt8](unsafeUninitializedCapacity: byteCount) { buffer, initialized in
            initialized = 0
            guard let destination = buffer.baseAddress else { return }
            var offset = 0
            for location in locations {
                copy(location.keyLength, from: base + location.keyStart, to: UnsafeMutableRawPointer(destination + offset))
                copy(
                    location.valueLength, from: base + location.valueStart,
                    to: UnsafeMutableRawPointer(destination + offset + location.keyLength)
                )
                spans.append(AMIMessage.Span(
                    keyStart: UInt32(truncatingIfNeeded: offset), keyLength: UInt32(truncatingIfNeeded: location.keyLength),
                    valueStart: UInt32(truncatingIfNeeded: offset + location.keyLength),
                    valueLength: UInt32(truncatingIfNeeded: location.valueLength)
                ))
                offset += location.keyLength + location.valueLength
            }
            initialized = offset
        }
        return AMIMessage(storage: storage, spans: spans)
    }

    /// Copies `count` bytes. Keys and values are mostly under 32 bytes, where a call to
    /// `memcpy` costs more than the copy: two calls per field were a tenth of the decoding time.
    @inline(__always)
    private static func copy(_ count: Int, from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) {
        guard count <= 64 else {
            memcpy(destination, source, count)
            return
        }
        var index = 0
        while index + 8 <= count {
            destination.storeBytes(of: source.loadUnaligned(fromByteOffset: index, as: UInt64.self), toByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < count {
            destination.storeBytes(of: source.load(fromByteOffset: index, as: UInt8.self), toByteOffset: index, as: UInt8.self)
            index += 1
        }
    }
}
