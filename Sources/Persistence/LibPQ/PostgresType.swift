/// The PostgreSQL type OIDs the wrapper binds and decodes (`pg_type.oid`, stable across versions).
public enum PostgresType: UInt32, Sendable {
    case unknown = 0
    case bool = 16
    case bytea = 17
    case int8 = 20
    case int2 = 21
    case int4 = 23
    case text = 25
    case oid = 26
    case json = 114
    case float4 = 700
    case float8 = 701
    case varchar = 1043
    case date = 1082
    case timestamp = 1114
    case timestamptz = 1184
    case interval = 1186
    case numeric = 1700
    case uuid = 2950
    case jsonb = 3802
    case boolArray = 1000
    case int2Array = 1005
    case int4Array = 1007
    case textArray = 1009
    case varcharArray = 1015
    case int8Array = 1016
}

/// A value bound to a `$n` parameter: its type and its text form, or NULL.
///
/// Parameters travel in libpq's text format with an explicit type, so the server never has to
/// guess and a value is never spliced into SQL text.
public struct PostgresBind: Sendable, Equatable {
    public var type: PostgresType
    public var text: String?

    public init(type: PostgresType, text: String?) {
        self.type = type
        self.text = text
    }

    /// A typed NULL.
    public static func null(_ type: PostgresType) -> PostgresBind { PostgresBind(type: type, text: nil) }
}

/// A Swift value that can be bound to a statement parameter.
public protocol PostgresEncodable {
    /// The parameter in its type and text form.
    var postgresBind: PostgresBind { get }
}

/// A Swift value that can be read from a column in text format.
public protocol PostgresDecodable {
    /// Parses the column's text form; throws a `PostgresDecodingError` on malformed text.
    init(postgresText text: String) throws(PostgresDecodingError)
}

/// A column's text could not be read as the Swift type asked for.
public struct PostgresDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var type: String
    public var column: String
    public var text: String

    public init(type: String, column: String = "", text: String) {
        self.type = type
        self.column = column
        self.text = text
    }

    public var description: String {
        // The text is truncated: it may be a row's value, and logs are no place for whole rows.
        "cannot read column \(column.isEmpty ? "?" : column) as \(type) (text starts '\(text.prefix(24))')"
    }
}
