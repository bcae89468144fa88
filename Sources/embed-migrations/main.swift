import Foundation

// Build tool: writes a Swift file holding each migration's SQL as a raw string literal.
// Usage: embed-migrations OUTPUT.swift NNNN_name.sql...

let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first else {
    FileHandle.standardError.write(Data("usage: embed-migrations OUTPUT.swift FILE.sql...\n".utf8))
    exit(64)
}
var swift = "// Generated at build time from Sources/Persistence/Migrations/*.sql. Do not edit.\n\n"
swift += "extension Migration {\n    /// Every migration shipped in this binary, in version order.\n"
swift += "    static let shipped: [Migration] = [\n"
for path in arguments.dropFirst() {
    let url = URL(fileURLWithPath: path)
    let name = url.deletingPathExtension().lastPathComponent
    guard let version = Int(name.prefix { $0.isNumber }), name.count > 5 else {
        FileHandle.standardError.write(Data("error: \(path): migration names are NNNN_description.sql\n".utf8))
        exit(65)
    }
    let sql = try String(contentsOf: url, encoding: .utf8)
    var hashes = "#"
    while sql.contains("\"" + hashes) || sql.contains("\\" + hashes) { hashes += "#" }
    swift += "        Migration(version: \(version), name: \"\(name)\", sql: \(hashes)\"\"\"\n"
    swift += sql.hasSuffix("\n") ? sql : sql + "\n"
    swift += "\"\"\"\(hashes)),\n"
}
swift += "    ]\n}\n"
try swift.write(toFile: output, atomically: true, encoding: .utf8)
