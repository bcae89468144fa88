import Foundation
import Testing

@Suite("Directory commands (needs PostgreSQL)")
struct AdminCommandTests {
    let database: ScratchDatabase
    let runner = CommandRunner()

    init() throws {
        database = try ScratchDatabase.create()
        let migrated = try runner.run(["migrate", "--database-url", database.url])
        #expect(migrated.status == 0, "migrate failed: \(migrated.standardError)")
    }

    /// Runs a directory command against the test database.
    @discardableResult
    func calljournal(_ arguments: String...) throws -> CommandRunner.Result {
        try runner.run(arguments + ["--database-url", database.url])
    }

    func json(_ result: CommandRunner.Result) throws -> [[String: Any]] {
        #expect(result.status == 0, "command failed: \(result.standardError)")
        let value = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
        return try #require(value as? [[String: Any]])
    }

    @Test func addAndListEmployeesWithDepartmentsAndEndpoints() throws {
        try calljournal("department", "add", "Sales")
        let added = try calljournal("employee", "add", "--extension", "101", "--name", "Alice Smith",
                                    "--email", "alice@example.com", "--department", "Sales", "--sip", "101",
                                    "--phone", "79001112233")
        #expect(added.status == 0, "\(added.standardError)")
        #expect(added.standardOutput.contains("Alice Smith"))
        let rows = try json(try calljournal("employee", "list", "--format", "json"))
        #expect(rows.count == 1)
        #expect(rows.first?["extension"] as? String == "101")
        #expect(rows.first?["departments"] as? String == "Sales")
        #expect(rows.first?["endpoints"] as? String == "phone:79001112233, sip:101")
        #expect(rows.first?["is_online"] as? Bool == true)
        #expect(rows.first?["id"] as? Int == 1)
    }

    @Test func aDuplicateExtensionNamesTheEmployeeWhoHasIt() throws {
        try calljournal("employee", "add", "--extension", "101", "--name", "Alice Smith")
        let duplicate = try calljournal("employee", "add", "--extension", "101", "--name", "Bob Jones")
        #expect(duplicate.status == 1)
        #expect(duplicate.standardError.contains("extension 101 already belongs to Alice Smith"))
        #expect(try database.query("SELECT count(*) FROM calljournal.employees") == ["1"])
    }

    @Test func anUnknownDepartmentSaysSoAndAddsNothing() throws {
        let result = try calljournal("employee", "add", "--extension", "102", "--name", "Bob", "--department", "Nope")
        #expect(result.status == 1)
        #expect(result.standardError.contains("no department is named Nope"))
        #expect(try database.query("SELECT count(*) FROM calljournal.employees") == ["0"])
    }

    @Test func aTakenEndpointRollsBackTheWholeEmployee() throws {
        try calljournal("employee", "add", "--extension", "101", "--name", "Alice", "--sip", "desk-1")
        let result = try calljournal("employee", "add", "--extension", "102", "--name", "Bob", "--sip", "desk-1")
        #expect(result.standardError.contains("SIP account desk-1 already belongs to Alice (extension 101)"))
        #expect(try database.query("SELECT extension FROM calljournal.employees") == ["101"])
    }

    @Test func inputThatLooksLikeSQLIsStoredVerbatim() throws {
        let name = "Robert'); DROP TABLE calljournal.calls; -- \"x\" \\ ;"
        try calljournal("employee", "add", "--extension", "103", "--name", name)
        try calljournal("contact", "add", "Ольга'; DELETE FROM calljournal.contacts; --", "--phone", "79160000001")
        #expect(try database.query("SELECT full_name FROM calljournal.employees") == [name])
        #expect(try database.query("SELECT name FROM calljournal.contacts") == ["Ольга'; DELETE FROM calljournal.contacts; --"])
        #expect(try database.query("SELECT to_regclass('calljournal.calls') IS NOT NULL") == ["t"])
    }

    @Test func updateAndRemoveEmployees() throws {
        try calljournal("department", "add", "Sales")
        try calljournal("department", "add", "Support")
        try calljournal("employee", "add", "--extension", "101", "--name", "Alice", "--department", "Sales")
        let updated = try json(try calljournal("employee", "update", "101", "--no-online", "--new-extension", "111",
                                               "--department", "Support", "--department", "Sales", "--format", "json"))
        #expect(updated.first?["extension"] as? String == "111")
        #expect(updated.first?["is_online"] as? Bool == false)
        #expect(updated.first?["departments"] as? String == "Sales, Support")
        let missing = try calljournal("employee", "remove", "101")
        #expect(missing.status == 1)
        #expect(missing.standardError.contains("no employee has extension 101"))
        #expect(try calljournal("employee", "remove", "111").status == 0)
        #expect(try database.query("SELECT count(*) FROM calljournal.employees") == ["0"])
    }

    @Test func badValuesAreExplained() throws {
        let letters = try calljournal("employee", "add", "--extension", "1O1", "--name", "Alice")
        #expect(letters.status == 65)
        #expect(letters.standardError.contains("an extension is 1 to 15 digits"))
        let level = try calljournal("employee", "add", "--extension", "101", "--name", "A", "--access-level", "root")
        #expect(level.standardError.contains("access level is employee, analyst or admin"))
        let value = try calljournal("category", "add", "1", "Sale", "--value", "12,5")
        #expect(value.status != 0)
    }

    @Test func categoriesContactsAndTrackingNumbers() throws {
        try calljournal("employee", "add", "--extension", "101", "--name", "Alice")
        #expect(try calljournal("category", "add", "2", "Sale", "--value", "1500.50").status == 0)
        let duplicate = try calljournal("category", "add", "2", "Other")
        #expect(duplicate.standardError.contains("category code 2 is already used"))
        let categories = try json(try calljournal("category", "update", "2", "--no-active", "--format", "json"))
        #expect(categories.first?["is_active"] as? Bool == false)
        #expect((categories.first?["value"] as? NSNumber)?.doubleValue == 1500.5)

        let contact = try json(try calljournal("contact", "add", "Иван Петров", "--company", "Acme", "--phone", "79161234567",
                                               "--phone", "74950000000", "--responsible", "101", "--format", "json"))
        #expect(contact.first?["responsible_extension"] as? String == "101")
        #expect(contact.first?["phones"] as? String == "74950000000, 79161234567")
        let taken = try calljournal("contact", "add", "Someone", "--phone", "79161234567")
        #expect(taken.standardError.contains("phone 79161234567 already belongs to Иван Петров"))

        try calljournal("tracking-number", "add", "5551000", "--source", "google", "--medium", "cpc")
        let again = try calljournal("tracking-number", "add", "5551000")
        #expect(again.status == 1)
        #expect(again.standardError.contains("tracking number 5551000 already exists"))
        let unknown = try calljournal("tracking-number", "update", "5559999", "--source", "x")
        #expect(unknown.standardError.contains("no tracking number 5559999"))
        let numbers = try json(try calljournal("tracking-number", "update", "5551000", "--campaign", "spring",
                                               "--medium", "", "--format", "json"))
        #expect(numbers.first?["source"] as? String == "google")
        #expect(numbers.first?["medium"] is NSNull)
        #expect(numbers.first?["campaign"] as? String == "spring")
    }

    @Test func anUnmigratedDatabaseNamesTheCommandToRun() throws {
        let empty = try ScratchDatabase.create()
        let result = try runner.run(["employee", "list", "--database-url", empty.url])
        #expect(result.status == 78)
        #expect(result.standardError.contains("calljournal migrate"))
    }

    @Test func anUnreachableDatabaseExits69WithoutThePassword() throws {
        let result = try runner.run(["employee", "list", "--database-url",
                                     "postgresql://calljournal:TopSecret9@127.0.0.1:1/journal?connect_timeout=1"])
        #expect(result.status == 69)
        #expect(result.standardError.contains("127.0.0.1"))
        #expect(!result.standardError.contains("TopSecret9"))
    }
}
