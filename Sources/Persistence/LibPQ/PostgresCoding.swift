public import Foundation

// Text-format encoding and decoding of the types the journal uses.
// Sessions run with DateStyle ISO, TimeZone UTC and IntervalStyle iso_8601 (see `PostgresConnection`),
// so the formats below are the only ones the server sends back.

extension String: PostgresEncodable, PostgresDecodable {
    public var postgresBind: PostgresBind { PostgresBind(type: .text, text: self) }
    public init(postgresText text: String) { self = text }
}

extension Bool: PostgresEncodable, PostgresDecodable {
    public var postgresBind: PostgresBind { PostgresBind(type: .bool, text: self ? "t" : "f") }
    public init(postgresText text: String) throws(PostgresDecodingError) {
        switch text {
        case "t", "true": self = true
        case "f", "false": self = false
        default: throw PostgresDecodingError(type: "Bool", text: text)
        }
    }
}

// Integers travel as their decimal text, bound with their own type (`PostgresTyped`): int8, int4 or int2.
extension PostgresEncodable where Self: FixedWidthInteger & PostgresTyped {
    public var postgresBind: PostgresBind { PostgresBind(type: Self.postgresType, text: String(self)) }
}

extension PostgresDecodable where Self: FixedWidthInteger {
    public init(postgresText text: String) throws(PostgresDecodingError) {
        guard let value = Self(text) else { throw PostgresDecodingError(type: "\(Self.self)", text: text) }
        self = value
    }
}

extension Int: PostgresEncodable, PostgresDecodable {}
extension Int64: PostgresEncodable, PostgresDecodable {}
extension Int32: PostgresEncodable, PostgresDecodable {}
extension Int16: PostgresEncodable, PostgresDecodable {}

extension Double: PostgresEncodable, PostgresDecodable {
    public var postgresBind: PostgresBind {
        let text = isNaN ? "NaN" : isInfinite ? (self < 0 ? "-Infinity" : "Infinity") : "\(self)"
        return PostgresBind(type: .float8, text: text)
    }
    public init(postgresText text: String) throws(PostgresDecodingError) {
        switch text {
        case "NaN": self = .nan
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        default:
            guard let value = Double(text) else { throw PostgresDecodingError(type: "Double", text: text) }
            self = value
        }
    }
}

extension Decimal: PostgresEncodable, PostgresDecodable {
    public var postgresBind: PostgresBind {
        // Decimal's description is locale-independent ("1234.5"), exactly what numeric accepts.
        PostgresBind(type: .numeric, text: isNaN ? "NaN" : description)
    }
    public init(postgresText text: String) throws(PostgresDecodingError) {
        if text == "NaN" { self = .nan; return }
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
            throw PostgresDecodingError(type: "Decimal", text: text)
        }
        self = value
    }
}

extension UUID: PostgresEncodable, PostgresDecodable {
    public var postgresBind: PostgresBind { PostgresBind(type: .uuid, text: uuidString.lowercased()) }
    public init(postgresText text: String) throws(PostgresDecodingError) {
        guard let value = UUID(uuidString: text) else { throw PostgresDecodingError(type: "UUID", text: text) }
        self = value
    }
}

extension Date: PostgresEncodable, PostgresDecodable {
    /// Bound as `timestamptz` in UTC with microseconds: `2026-11-22 14:46:47.860209+00`.
    public var postgresBind: PostgresBind {
        PostgresBind(type: .timestamptz, text: PostgresTimestamp.format(epochSeconds: timeIntervalSince1970))
    }
    public init(postgresText text: String) throws(PostgresDecodingError) {
        guard let seconds = PostgresTimestamp.parse(text) else {
            throw PostgresDecodingError(type: "Date", text: text)
        }
        self = Date(timeIntervalSince1970: seconds)
    }
}

/// A duration bound as and read from `interval`, in seconds.
public struct PostgresInterval: PostgresEncodable, PostgresDecodable, Sendable, Equatable {
    public var seconds: Double

    public init(seconds: Double) { self.seconds = seconds }

    public var postgresBind: PostgresBind { PostgresBind(type: .interval, text: "\(seconds) seconds") }

    /// Reads the ISO 8601 form the session asks for (`P1DT2H3M4.5S`); months count 30 days and
    /// years 365.25 days, as PostgreSQL's own `extract(epoch from interval)` does.
    public init(postgresText text: String) throws(PostgresDecodingError) {
        guard let seconds = Self.parseISO8601(text) else { throw PostgresDecodingError(type: "interval", text: text) }
        self.seconds = seconds
    }

    static func parseISO8601(_ text: String) -> Double? {
        var rest = Substring(text)
        guard rest.first == "P" else { return nil }
        rest = rest.dropFirst()
        var total = 0.0, inTime = false, number = ""
        for character in rest {
            switch character {
            case "T": inTime = true
            case "0" ... "9", ".", "-", "+": number.append(character)
            case "Y", "M", "W", "D", "H", "S":
                guard let value = Double(number) else { return nil }
                number = ""
                switch (character, inTime) {
                case ("Y", false): total += value * 365.25 * 86_400
                case ("M", false): total += value * 30 * 86_400
                case ("W", false): total += value * 7 * 86_400
                case ("D", false): total += value * 86_400
                case ("H", true): total += value * 3_600
                case ("M", true): total += value * 60
                case ("S", true): total += value
                default: return nil
                }
            default: return nil
            }
        }
        return number.isEmpty ? total : nil
    }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable & PostgresTyped {
    public var postgresBind: PostgresBind {
        switch self {
        case .some(let value): value.postgresBind
        case .none: .null(Wrapped.postgresType)
        }
    }
}

/// A type whose parameter type is known without a value, so that `nil` binds a typed NULL.
public protocol PostgresTyped {
    static var postgresType: PostgresType { get }
}

extension String: PostgresTyped { public static var postgresType: PostgresType { .text } }
extension Bool: PostgresTyped { public static var postgresType: PostgresType { .bool } }
extension Int: PostgresTyped { public static var postgresType: PostgresType { .int8 } }
extension Int64: PostgresTyped { public static var postgresType: PostgresType { .int8 } }
extension Int32: PostgresTyped { public static var postgresType: PostgresType { .int4 } }
extension Int16: PostgresTyped { public static var postgresType: PostgresType { .int2 } }
extension Double: PostgresTyped { public static var postgresType: PostgresType { .float8 } }
extension Decimal: PostgresTyped { public static var postgresType: PostgresType { .numeric } }
extension UUID: PostgresTyped { public static var postgresType: PostgresType { .uuid } }
extension Date: PostgresTyped { public static var postgresType: PostgresType { .timestamptz } }
extension PostgresInterval: PostgresTyped { public static var postgresType: PostgresType { .interval } }
extension Array: PostgresTyped where Element: PostgresArrayElement {
    public static var postgresType: PostgresType { Element.postgresArrayType }
}

/// An element type of a one-dimensional array parameter or column.
public protocol PostgresArrayElement: PostgresEncodable, PostgresDecodable {
    static var postgresArrayType: PostgresType { get }
}

extension String: PostgresArrayElement { public static var postgresArrayType: PostgresType { .textArray } }
extension Int64: PostgresArrayElement { public static var postgresArrayType: PostgresType { .int8Array } }
extension Int: PostgresArrayElement { public static var postgresArrayType: PostgresType { .int8Array } }
extension Int32: PostgresArrayElement { public static var postgresArrayType: PostgresType { .int4Array } }
extension Bool: PostgresArrayElement { public static var postgresArrayType: PostgresType { .boolArray } }

extension Array: PostgresEncodable, PostgresDecodable where Element: PostgresArrayElement {
    /// Bound as a one-dimensional array literal with every element quoted: `{"a","b\"c"}`.
    public var postgresBind: PostgresBind {
        PostgresBind(type: Element.postgresArrayType, text: PostgresArrayText.format(map { $0.postgresBind.text }))
    }

    public init(postgresText text: String) throws(PostgresDecodingError) {
        guard let elements = PostgresArrayText.parse(text) else {
            throw PostgresDecodingError(type: "array", text: text)
        }
        var values: [Element] = []
        values.reserveCapacity(elements.count)
        for element in elements {
            guard let element else { throw PostgresDecodingError(type: "array element (NULL)", text: text) }
            values.append(try Element(postgresText: element))
        }
        self = values
    }
}
