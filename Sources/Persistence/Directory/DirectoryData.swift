public import Foundation

/// The directory as the daemon holds it in memory: who answers where, which categories exist, which client belongs
/// to whom. Loaded whole, so a reader never sees half of a change.
public struct DirectoryData: Sendable, Equatable {
    public struct Employee: Sendable, Equatable {
        public var id: Int64
        public var fullName: String
        public var extensionNumber: String
        public var isOnline: Bool
        public var ignoreInJournal: Bool
        public var sipAccounts: [String]
        public var phoneNumbers: [String]
    }

    public struct Category: Sendable, Equatable {
        public var id: Int64
        public var code: Int
        public var name: String
        public var value: Decimal?
        public var isActive: Bool
    }

    public var employees: [Employee]
    public var categories: [Category]
    /// Client phone (digits) → the responsible employee's id.
    public var contactOwners: [String: Int64]

    public init(employees: [Employee] = [], categories: [Category] = [], contactOwners: [String: Int64] = [:]) {
        self.employees = employees
        self.categories = categories
        self.contactOwners = contactOwners
    }
}

/// Reads the whole directory in one snapshot transaction.
public struct DirectoryReader {
    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    public func load() throws -> DirectoryData {
        try connection.execute(script: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", operation: "begin directory snapshot")
        defer { try? connection.execute(script: "COMMIT", operation: "end directory snapshot") }
        let employees = try connection.query("""
            SELECT e.id, e.full_name, e.extension, e.is_online, e.ignore_in_journal,
                   coalesce(array_agg(p.address ORDER BY p.address) FILTER (WHERE p.kind = 'sip'), '{}') AS sip,
                   coalesce(array_agg(p.address ORDER BY p.address) FILTER (WHERE p.kind = 'phone'), '{}') AS phone
              FROM calljournal.employees e
              LEFT JOIN calljournal.employee_endpoints p ON p.employee_id = e.id
             GROUP BY e.id ORDER BY e.id
            """, operation: "load employees").map { row in
            DirectoryData.Employee(
                id: try row.decode("id"), fullName: try row.decode("full_name"), extensionNumber: try row.decode("extension"),
                isOnline: try row.decode("is_online"), ignoreInJournal: try row.decode("ignore_in_journal"),
                sipAccounts: try row.decode("sip"), phoneNumbers: try row.decode("phone"))
        }
        let categories = try connection.query(
            "SELECT id, code, name, value, is_active FROM calljournal.call_categories ORDER BY code",
            operation: "load categories").map { row in
            DirectoryData.Category(id: try row.decode("id"), code: try row.decode("code"), name: try row.decode("name"),
                                   value: try row.decodeIfPresent("value"), isActive: try row.decode("is_active"))
        }
        var owners: [String: Int64] = [:]
        for row in try connection.query("""
            SELECT p.phone, c.responsible_employee_id FROM calljournal.contact_phones p
              JOIN calljournal.contacts c ON c.id = p.contact_id WHERE c.responsible_employee_id IS NOT NULL
            """, operation: "load contact owners") {
            owners[try row.decode("phone")] = try row.decode("responsible_employee_id", as: Int64.self)
        }
        return DirectoryData(employees: employees, categories: categories, contactOwners: owners)
    }
}
