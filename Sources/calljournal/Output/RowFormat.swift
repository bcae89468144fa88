import ArgumentParser

/// How commands print rows.
enum RowFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// Aligned columns for people.
    case table
    /// RFC 4180: comma-separated, CRLF line ends, fields quoted when they hold `"`, `,`, CR or LF.
    case csv
    /// One JSON array of objects.
    case json
    /// One JSON object per line.
    case ndjson
}

/// The kind of a column, for typed JSON output: numbers and booleans unquoted.
enum ColumnKind: Sendable {
    case text, number, boolean

    /// From a PostgreSQL type OID (int2/4/8, float4/8, numeric, oid → number; bool → boolean).
    init(postgresType oid: UInt32) {
        switch oid {
        case 20, 21, 23, 26, 700, 701, 1700: self = .number
        case 16: self = .boolean
        default: self = .text
        }
    }
}
