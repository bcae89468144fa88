import Foundation

/// Writes rows (text cells, `nil` for NULL) as a table, CSV, JSON or NDJSON to standard output.
///
/// CSV, JSON and NDJSON stream row by row, so an export of any size runs in constant memory; a table has to see
/// every row to size its columns and buffers them.
struct RowWriter {
    let format: RowFormat
    let columns: [String]
    let kinds: [ColumnKind]
    private var tableRows: [[String?]] = []
    private var written = 0
    private var output = StandardOutput()

    init(format: RowFormat, columns: [String], kinds: [ColumnKind]) {
        self.format = format
        self.columns = columns
        self.kinds = kinds
    }

    /// Writes the header (CSV) or the opening bracket (JSON).
    mutating func begin() {
        switch format {
        case .csv: output.write(columns.map(Self.csvField).joined(separator: ",") + "\r\n")
        case .json: output.write("[")
        case .table, .ndjson: break
        }
    }

    mutating func write(_ cells: [String?]) {
        switch format {
        case .table: tableRows.append(cells)
        case .csv: output.write(cells.map { $0.map(Self.csvField) ?? "" }.joined(separator: ",") + "\r\n")
        case .json: output.write((written == 0 ? "\n  " : ",\n  ") + jsonObject(cells))
        case .ndjson: output.write(jsonObject(cells) + "\n")
        }
        written += 1
    }

    /// Finishes the output: prints the buffered table or closes the JSON array.
    mutating func end() {
        switch format {
        case .table: output.write(Self.table(columns: columns, rows: tableRows))
        case .json: output.write(written == 0 ? "]\n" : "\n]\n")
        case .csv, .ndjson: break
        }
        output.flush()
    }

    /// Aligned columns with a header rule; NULL prints as empty.
    static func table(columns: [String], rows: [[String?]]) -> String {
        var widths = columns.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], (cell ?? "").count) }
        }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var text = line(columns) + "\n" + line(widths.map { String(repeating: "-", count: $0) }) + "\n"
        for row in rows { text += line(row.map { $0 ?? "" }) + "\n" }
        text += "(\(rows.count) row\(rows.count == 1 ? "" : "s"))\n"
        return text
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "\"" || $0 == "," || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private func jsonObject(_ cells: [String?]) -> String {
        var object = "{"
        for (index, cell) in cells.enumerated() {
            if index > 0 { object += "," }
            object += Self.jsonString(columns[index]) + ":"
            guard let cell else { object += "null"; continue }
            switch kinds[index] {
            case .number where Double(cell)?.isFinite == true: object += cell
            case .boolean: object += cell == "t" || cell == "true" ? "true" : "false"
            case .text, .number: object += Self.jsonString(cell)
            }
        }
        return object + "}"
    }

    /// A JSON string literal (RFC 8259): quotes, backslashes and control characters escaped.
    static func jsonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

/// Buffered standard output: one `write(2)` per 64 KiB instead of one per row.
private struct StandardOutput {
    private var buffer: [UInt8] = []

    mutating func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
