/// The rows a statement returned, copied out of libpq's result in text form.
///
/// Copying makes the rows `Sendable` and frees the `PGresult` at once; the journal's queries
/// return small results, and exports page through a cursor.
public struct PostgresRows: Sendable, Sequence {
    /// Column names in order.
    public let columns: [String]
    /// Column types in order.
    public let columnTypes: [UInt32]
    /// Cells row by row, `nil` for NULL.
    public let cells: [[String?]]
    /// The number of rows an INSERT/UPDATE/DELETE touched (`PQcmdTuples`), 0 otherwise.
    public let affectedRows: Int

    public init(columns: [String], columnTypes: [UInt32], cells: [[String?]], affectedRows: Int) {
        self.columns = columns
        self.columnTypes = columnTypes
        self.cells = cells
        self.affectedRows = affectedRows
    }

    public var count: Int { cells.count }
    public var isEmpty: Bool { cells.isEmpty }
    public var first: PostgresRow? { cells.first.map { PostgresRow(columns: columns, cells: $0) } }
    public subscript(index: Int) -> PostgresRow { PostgresRow(columns: columns, cells: cells[index]) }

    public func makeIterator() -> some IteratorProtocol<PostgresRow> {
        cells.lazy.map { PostgresRow(columns: columns, cells: $0) }.makeIterator()
    }
}

/// One row: cells by position or column name, decoded on demand.
public struct PostgresRow: Sendable {
    public let columns: [String]
    public let cells: [String?]

    /// The raw text of a column, `nil` for NULL.
    public subscript(column: String) -> String? {
        guard let index = columns.firstIndex(of: column) else { return nil }
        return cells[index]
    }

    /// Decodes a non-NULL column; throws when it is NULL, missing or malformed.
    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws(PostgresDecodingError) -> T {
        guard let index = columns.firstIndex(of: column) else {
            throw PostgresDecodingError(type: "\(T.self)", column: column, text: "<no such column>")
        }
        guard let text = cells[index] else {
            throw PostgresDecodingError(type: "\(T.self)", column: column, text: "<NULL>")
        }
        do { return try T(postgresText: text) } catch { throw PostgresDecodingError(type: error.type, column: column, text: text) }
    }

    /// Decodes a nullable column: `nil` for NULL.
    public func decodeIfPresent<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws(PostgresDecodingError) -> T? {
        guard let index = columns.firstIndex(of: column), let text = cells[index] else { return nil }
        do { return try T(postgresText: text) } catch { throw PostgresDecodingError(type: error.type, column: column, text: text) }
    }
}

/// A message sent with `NOTIFY channel, 'payload'` to a channel this connection listens on.
public struct PostgresNotification: Sendable, Equatable {
    public var channel: String
    public var payload: String
    public var senderProcessID: Int32
}
