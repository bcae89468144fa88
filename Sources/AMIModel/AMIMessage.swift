/// One message of the Asterisk Manager Interface: an event, a response, or an action we send.
///
/// A message is an ordered list of `Key: Value` fields. Keys may repeat (`ChanVariable`,
/// `Output`) and keep their order and original spelling; lookup is ASCII case-insensitive,
/// because CEL spells `UniqueID`/`LinkedID` where channel events spell `Uniqueid`/`Linkedid`.
///
/// The fields live in one contiguous byte array with a table of offsets, so decoding a message
/// costs two allocations however many fields it has; `String`s are made only for the fields
/// a caller reads.
///
/// ```
/// storage: E v e n t N e w c h a n n e l C h a n n e l P J S I P / …
///          └─key──┘└──value───┘└─key───┘└─value…
/// ```
public struct AMIMessage: Sendable, Hashable {
    /// Where one field's key and value sit in the message's bytes.
    public struct Span: Sendable, Hashable {
        public var keyStart: UInt32
        public var keyLength: UInt32
        public var valueStart: UInt32
        public var valueLength: UInt32

        @inlinable
        public init(keyStart: UInt32, keyLength: UInt32, valueStart: UInt32, valueLength: UInt32) {
            self.keyStart = keyStart
            self.keyLength = keyLength
            self.valueStart = valueStart
            self.valueLength = valueLength
        }
    }

    @usableFromInline var storage: [UInt8]
    @usableFromInline var spans: [Span]

    /// An empty message, to be filled with `append(key:value:)`.
    public init() {
        storage = []
        spans = []
    }

    /// A message with the given fields in order.
    public init(_ fields: [(key: String, value: String)]) {
        self.init()
        storage.reserveCapacity(fields.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count })
        spans.reserveCapacity(fields.count)
        for field in fields { append(key: field.key, value: field.value) }
    }

    /// A message over bytes already laid out as keys and values, with one span per field, as
    /// the decoder builds it (two allocations per message). Every span must lie inside `storage`;
    /// that is checked in debug builds only.
    @inlinable
    public init(storage: [UInt8], spans: [Span]) {
        assert(spans.allSatisfy { Int($0.keyStart + $0.keyLength) <= storage.count && Int($0.valueStart + $0.valueLength) <= storage.count })
        self.storage = storage
        self.spans = spans
    }

    /// Reserves room for `bytes` bytes of keys and values and `fields` fields.
    public mutating func reserveCapacity(bytes: Int, fields: Int) {
        storage.reserveCapacity(bytes)
        spans.reserveCapacity(fields)
    }

    /// Appends a field.
    public mutating func append(key: String, value: String) {
        let keyStart = storage.count
        storage.append(contentsOf: key.utf8)
        let valueStart = storage.count
        storage.append(contentsOf: value.utf8)
        spans.append(Span(
            keyStart: UInt32(keyStart), keyLength: UInt32(valueStart - keyStart),
            valueStart: UInt32(valueStart), valueLength: UInt32(storage.count - valueStart)
        ))
    }

    /// Appends a field from raw bytes, as the decoder does. The bytes are copied.
    @inlinable
    public mutating func append(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        let keyStart = storage.count
        // Typed buffers are appended with one memcpy; a raw buffer would be copied byte by byte.
        storage.append(contentsOf: key.assumingMemoryBound(to: UInt8.self))
        let valueStart = storage.count
        storage.append(contentsOf: value.assumingMemoryBound(to: UInt8.self))
        spans.append(Span(
            keyStart: UInt32(truncatingIfNeeded: keyStart), keyLength: UInt32(truncatingIfNeeded: key.count),
            valueStart: UInt32(truncatingIfNeeded: valueStart), valueLength: UInt32(truncatingIfNeeded: value.count)
        ))
    }

    /// The number of fields.
    @inlinable public var count: Int { spans.count }

    /// True when the message has no fields.
    @inlinable public var isEmpty: Bool { spans.isEmpty }

    /// The number of bytes of keys and values held.
    @inlinable public var byteCount: Int { storage.count }

    /// The key of field `index`, in its original spelling.
    public func key(at index: Int) -> String {
        let span = spans[index]
        return string(start: span.keyStart, length: span.keyLength)
    }

    /// The value of field `index`.
    public func value(at index: Int) -> String {
        let span = spans[index]
        return string(start: span.valueStart, length: span.valueLength)
    }

    /// Every field in order, keys in their original spelling.
    public var fields: [(key: String, value: String)] {
        spans.indices.map { (key(at: $0), value(at: $0)) }
    }

    /// The index of the first field whose key equals `key`, ignoring ASCII case.
    public func firstIndex(of key: String) -> Int? {
        var key = key
        return key.withUTF8 { wanted -> Int? in
            storage.withUnsafeBufferPointer { bytes -> Int? in
                for (index, span) in spans.enumerated() where Int(span.keyLength) == wanted.count {
                    if Self.equalsIgnoringASCIICase(bytes, from: Int(span.keyStart), wanted) { return index }
                }
                return nil
            }
        }
    }

    /// The value of the first field named `key` (ASCII case-insensitive), or nil.
    public subscript(key: String) -> String? {
        firstIndex(of: key).map(value(at:))
    }

    /// Every value of the fields named `key`, in order (`ChanVariable`, `Output`).
    public func values(for key: String) -> [String] {
        var key = key
        let indices = key.withUTF8 { wanted -> [Int] in
            storage.withUnsafeBufferPointer { bytes -> [Int] in
                spans.indices.filter {
                    Int(spans[$0].keyLength) == wanted.count
                        && Self.equalsIgnoringASCIICase(bytes, from: Int(spans[$0].keyStart), wanted)
                }
            }
        }
        return indices.map(value(at:))
    }

    /// The `Event` field: the event's name, or nil for responses.
    public var eventName: String? { self["Event"] }

    /// The `Response` field (`Success`, `Error`, `Follows`, `Goodbye`), or nil for events.
    public var response: String? { self["Response"] }

    /// The `ActionID` field that correlates a response (and list events) with its action.
    public var actionID: String? { self["ActionID"] }

    private func string(start: UInt32, length: UInt32) -> String {
        storage.withUnsafeBufferPointer { bytes in
            String(decoding: UnsafeBufferPointer(rebasing: bytes[Int(start) ..< Int(start + length)]), as: UTF8.self)
        }
    }

    private static func equalsIgnoringASCIICase(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, _ wanted: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        for offset in 0 ..< wanted.count {
            var a = bytes[start + offset], b = wanted[offset]
            if a &- 65 < 26 { a |= 0x20 }
            if b &- 65 < 26 { b |= 0x20 }
            if a != b { return false }
        }
        return true
    }
}

extension AMIMessage: CustomStringConvertible {
    /// The message as AMI would print it, one `Key: Value` per line.
    public var description: String {
        fields.map { "\($0.key): \($0.value)" }.joined(separator: "\n")
    }
}
