import Foundation
import Testing

/// A throwaway database for command-line tests, created with psql on the server the `PG*` variables point at.
struct ScratchDatabase {
    let name: String

    /// Creates the database; fails the test with a clear message when PostgreSQL is not reachable.
    static func create(function: String = #function) throws -> ScratchDatabase {
        let name = "cj_cli_" + function.prefix { $0.isLetter }.lowercased().prefix(24) + "_"
            + UUID().uuidString.prefix(8).lowercased()
        let result = try psql(["-d", "postgres", "-c", "CREATE DATABASE \(name)"])
        guard result.status == 0 else {
            Issue.record("""
                these tests need PostgreSQL: run them through scripts/test (pg_virtualenv), or set PG* to a server \
                where this user may CREATE DATABASE. psql said: \(result.standardError)
                """)
            throw CancellationError()
        }
        return ScratchDatabase(name: name)
    }

    /// The `--database-url` value for this database.
    var url: String { "dbname=\(name)" }

    /// Runs a query with psql (unaligned, tuples only) and returns its output lines.
    func query(_ sql: String) throws -> [String] {
        let result = try Self.psql(["-d", name, "-Atqc", sql])
        #expect(result.status == 0, "psql failed: \(result.standardError)")
        return result.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    static func psql(_ arguments: [String]) throws -> CommandRunner.Result {
        try CommandRunner.execute(URL(fileURLWithPath: "/usr/bin/env"), ["psql", "-X", "-v", "ON_ERROR_STOP=1"] + arguments)
    }
}
