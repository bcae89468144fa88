import Foundation
import Persistence
import Testing

@Suite("PostgreSQL types round-trip (needs PostgreSQL)")
struct PostgresTypeTests {
    let connection: PostgresConnection

    init() throws {
        connection = try TestDatabase.create(migrated: false).connect()
    }

    func roundTrip<T: PostgresEncodable & PostgresDecodable>(_ value: T, as sqlType: String) throws -> T {
        let row = try #require(try connection.query("SELECT $1::\(sqlType) AS v", value).first)
        return try row.decode("v", as: T.self)
    }

    @Test func textKeepsCyrillicQuotesAndBackslashes() throws {
        for text in ["Иван Петров", "O'Brien \"quoted\" \\ back", "", "tab\there\nnewline", "emoji 📞"] {
            #expect(try roundTrip(text, as: "text") == text)
        }
    }

    @Test func integersAtTheirLimits() throws {
        #expect(try roundTrip(Int64.max, as: "bigint") == .max)
        #expect(try roundTrip(Int64.min, as: "bigint") == .min)
        #expect(try roundTrip(Int32.min, as: "integer") == .min)
        #expect(try roundTrip(Int16.max, as: "smallint") == .max)
    }

    @Test func numericKeepsEveryDigit() throws {
        let value = try #require(Decimal(string: "123456789012.34", locale: Locale(identifier: "en_US_POSIX")))
        #expect(try roundTrip(value, as: "numeric(14,2)") == value)
        let tiny = try #require(Decimal(string: "0.000000000000000001", locale: Locale(identifier: "en_US_POSIX")))
        #expect(try roundTrip(tiny, as: "numeric") == tiny)
    }

    @Test func booleansAndNull() throws {
        #expect(try roundTrip(true, as: "boolean") == true)
        #expect(try roundTrip(false, as: "boolean") == false)
        let row = try #require(try connection.query("SELECT $1::text AS v", String?.none).first)
        #expect(try row.decodeIfPresent("v", as: String.self) == nil)
        #expect(throws: PostgresDecodingError.self) { try row.decode("v", as: String.self) }
    }

    @Test func timestampsKeepMicrosecondsWhateverTheSessionTimeZone() throws {
        let instant = Date(timeIntervalSince1970: 1_795_358_807.123456)
        #expect(abs(try roundTrip(instant, as: "timestamptz").timeIntervalSince(instant)) < 0.000_001)
        // A DBA's ALTER ROLE … SET timezone must not shift what we read: the session pins UTC.
        try connection.execute(script: "SET TimeZone = 'Asia/Vladivostok'")
        let row = try #require(try connection.query("SELECT '2026-11-22 14:46:47.5+03'::timestamptz AS v").first)
        try connection.execute(script: "SET TimeZone = 'UTC'")
        let decoded = try row.decode("v", as: Date.self)
        #expect(decoded == Date(timeIntervalSince1970: 1_795_348_007.5))
    }

    @Test func intervalsInSeconds() throws {
        #expect(try roundTrip(PostgresInterval(seconds: 93.25), as: "interval").seconds == 93.25)
        let row = try #require(try connection.query("SELECT interval '1 day 2 hours 3.5 seconds' AS v").first)
        #expect(try row.decode("v", as: PostgresInterval.self).seconds == 86_400 + 7_200 + 3.5)
    }

    @Test func arraysWithNullsAndAwkwardText() throws {
        let texts = ["a", "b,c", "quote\"d", "back\\slash", "NULL", "", "Оля"]
        #expect(try roundTrip(texts, as: "text[]") == texts)
        #expect(try roundTrip([Int64(1), -2, .max], as: "bigint[]") == [1, -2, .max])
        #expect(try roundTrip([String](), as: "text[]") == [])
    }

    @Test func uuids() throws {
        let id = UUID()
        #expect(try roundTrip(id, as: "uuid") == id)
    }

    @Test func errorsCarrySQLStateDetailAndNoPassword() throws {
        try connection.execute(script: "CREATE TABLE t (k int PRIMARY KEY)")
        try connection.query("INSERT INTO t VALUES (1)")
        let duplicate = try #require(throws: PostgresError.self) { try connection.query("INSERT INTO t VALUES (1)") }
        #expect(duplicate.sqlState == "23505")
        #expect(duplicate.constraint == "t_pkey")
        #expect(duplicate.detail?.contains("(k)=(1)") == true)
        #expect(duplicate.isDataError)
        let secret = "s3cr3t-Pa55"
        let refused = try #require(throws: PostgresError.self) {
            try PostgresConnection.connect(PostgresConnectionSettings(
                connectionString: "host=127.0.0.1 port=1 user=nobody connect_timeout=1", password: secret))
        }
        #expect(refused.isConnectionFailure)
        #expect(!refused.description.contains(secret))
    }

    @Test func copyInEscapesTabsNewlinesAndBackslashes() throws {
        try connection.execute(script: "CREATE TABLE c (a text, b text)")
        let rows: [[String?]] = [["tab\there", nil], ["new\nline", "back\\slash"], ["Юля", "\\N"]]
        #expect(try connection.copyIn("COPY c (a, b) FROM STDIN", rows: rows) == 3)
        let read = try connection.query("SELECT a, b FROM c ORDER BY ctid").cells
        #expect(read == rows)
    }

    @Test func transactionRollsBackOnError() throws {
        try connection.execute(script: "CREATE TABLE r (k int)")
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try connection.transaction {
                try connection.query("INSERT INTO r VALUES (1)")
                throw Stop()
            }
        }
        #expect(try connection.query("SELECT count(*) AS n FROM r").first?.decode("n", as: Int.self) == 0)
    }

    @Test func listenReceivesNotifications() throws {
        try connection.listen("calljournal_test")
        let other = try TestDatabase(name: "", settings: PostgresConnectionSettings(connectionString: ""))
            .connectSame(as: connection)
        try other.query("SELECT pg_notify('calljournal_test', 'hello')")
        let notes = try connection.waitForNotifications(timeout: .seconds(5))
        #expect(notes.map(\.payload) == ["hello"])
    }
}

extension TestDatabase {
    /// A second connection to the database `connection` is on.
    func connectSame(as connection: PostgresConnection) throws -> PostgresConnection {
        let name = try connection.query("SELECT current_database() AS d").first?.decode("d", as: String.self) ?? ""
        return try PostgresConnection.connect(PostgresConnectionSettings(connectionString: "dbname=\(name)"))
    }
}
