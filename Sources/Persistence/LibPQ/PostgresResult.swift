import CLibPQ

/// One `PGresult *`, owned by this object and cleared exactly once in `deinit`.
final class PostgresResult {
    private let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { PQclear(pointer) }

    /// Copies the rows out in text form.
    func rows() -> PostgresRows {
        let columnCount = Int(PQnfields(pointer)), rowCount = Int(PQntuples(pointer))
        // COPY results describe their columns without names: PQfname returns NULL there.
        let columns = (0 ..< columnCount).map { index in PQfname(pointer, Int32(index)).map { String(cString: $0) } ?? "" }
        let types = (0 ..< columnCount).map { UInt32(PQftype(pointer, Int32($0))) }
        var cells: [[String?]] = []
        cells.reserveCapacity(rowCount)
        for row in 0 ..< rowCount {
            var values: [String?] = []
            values.reserveCapacity(columnCount)
            for column in 0 ..< columnCount {
                if PQgetisnull(pointer, Int32(row), Int32(column)) == 1 {
                    values.append(nil)
                } else {
                    values.append(String(cString: PQgetvalue(pointer, Int32(row), Int32(column))))
                }
            }
            cells.append(values)
        }
        let affected = Int(String(cString: PQcmdTuples(pointer))) ?? 0
        return PostgresRows(columns: columns, columnTypes: types, cells: cells, affectedRows: affected)
    }

    /// The server's error fields; a result without SQLSTATE means libpq lost the connection.
    func error(operation: String, connectionAlive: Bool) -> PostgresError {
        func field(_ code: Character) -> String? {
            guard let value = PQresultErrorField(pointer, Int32(code.asciiValue ?? 0)) else { return nil }
            return String(cString: value)
        }
        let message = field("M") ?? String(cString: PQresultErrorMessage(pointer))
        let fallbackState = connectionAlive ? "XX000" : PostgresError.connectionFailure
        return PostgresError(
            operation: operation, sqlState: field("C") ?? fallbackState,
            message: message.trimmingCharacters(in: .whitespacesAndNewlines),
            detail: field("D"), hint: field("H"), constraint: field("n")
        )
    }
}

/// COPY's text format: tab-separated, `\N` for NULL, backslash escapes for tab, newline, CR, backslash.
enum PostgresCopyText {
    static func appendRow(_ row: [String?], to buffer: inout [UInt8]) {
        for (index, cell) in row.enumerated() {
            if index > 0 { buffer.append(9) }
            guard let cell else { buffer.append(contentsOf: [92, 78]); continue }
            for byte in cell.utf8 {
                switch byte {
                case 92: buffer.append(contentsOf: [92, 92])
                case 9: buffer.append(contentsOf: [92, 116])
                case 10: buffer.append(contentsOf: [92, 110])
                case 13: buffer.append(contentsOf: [92, 114])
                default: buffer.append(byte)
                }
            }
        }
        buffer.append(10)
    }
}
