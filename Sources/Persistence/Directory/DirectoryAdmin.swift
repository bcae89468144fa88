public import Foundation

/// Changes to the directory made by operators (`calljournal employee add`, …): employees, departments, endpoints,
/// categories, contacts and tracking numbers.
///
/// Every statement is parameterized. Rows come back as `PostgresRows` so the command line can print any of them as a
/// table or JSON. Constraint violations become a `DirectoryError` that names the conflicting row.
public struct DirectoryAdmin {
    public let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    // MARK: Employees

    /// The columns every employee listing shows.
    static let employeeColumns = """
        SELECT e.id, e.extension, e.full_name, e.email, e.access_level, e.is_online, e.ignore_in_journal,
               coalesce((SELECT string_agg(d.name, ', ' ORDER BY d.name) FROM calljournal.employee_departments ed
                          JOIN calljournal.departments d ON d.id = ed.department_id WHERE ed.employee_id = e.id), '') AS departments,
               coalesce((SELECT string_agg(p.kind || ':' || p.address, ', ' ORDER BY p.kind, p.address)
                           FROM calljournal.employee_endpoints p WHERE p.employee_id = e.id), '') AS endpoints,
               e.integration_id
          FROM calljournal.employees e
        """

    public func listEmployees(department: String? = nil) throws -> PostgresRows {
        if let department { _ = try departmentID(named: department) }
        return try connection.query(Self.employeeColumns + """

             WHERE $1::text IS NULL OR EXISTS (
                   SELECT 1 FROM calljournal.employee_departments ed JOIN calljournal.departments d ON d.id = ed.department_id
                    WHERE ed.employee_id = e.id AND d.name = $1)
             ORDER BY e.extension
            """, department, operation: "list employees")
    }

    public func employee(extension number: String) throws -> PostgresRows {
        let rows = try connection.query(Self.employeeColumns + "\n WHERE e.extension = $1", number, operation: "show employee")
        guard !rows.isEmpty else { throw DirectoryError.notFound("no employee has extension \(number)") }
        return rows
    }

    /// Adds an employee with their departments (which must exist) and endpoints, all or nothing.
    public func addEmployee(_ employee: EmployeeFields, departments: [String],
                            endpoints: [(kind: EndpointKind, address: String)] = []) throws -> PostgresRows {
        try translatingConstraints {
            try connection.transaction {
                let ids = try departments.map { try departmentID(named: $0) }
                let id = try connection.query("""
                    INSERT INTO calljournal.employees (full_name, email, extension, access_level, is_online, ignore_in_journal)
                    VALUES ($1, nullif($2, ''), $3, coalesce($4, 'employee'), coalesce($5, true), coalesce($6, false))
                    RETURNING id
                    """, employee.fullName, employee.email, employee.extensionNumber, employee.accessLevel,
                    employee.isOnline, employee.ignoreInJournal, operation: "add employee")
                    .first.map { try $0.decode("id", as: Int64.self) }
                for departmentID in ids {
                    try connection.query("INSERT INTO calljournal.employee_departments VALUES ($1, $2)", id, departmentID,
                                         operation: "add employee to department")
                }
                for endpoint in endpoints {
                    try connection.query("""
                        INSERT INTO calljournal.employee_endpoints (employee_id, kind, address) VALUES ($1, $2, $3)
                        """, id, endpoint.kind.rawValue, endpoint.address, operation: "add endpoint")
                }
                return try self.employee(extension: employee.extensionNumber ?? "")
            }
        }
    }

    /// Updates the given fields of the employee with `extension`; `departments`, when given, replaces their set.
    /// An empty email clears it.
    public func updateEmployee(extension number: String, _ fields: EmployeeFields, departments: [String]?) throws -> PostgresRows {
        try translatingConstraints {
            try connection.transaction {
                let rows = try connection.query("""
                    UPDATE calljournal.employees
                       SET full_name = coalesce($2, full_name),
                           email = CASE WHEN $3::text IS NULL THEN email ELSE nullif($3, '') END,
                           extension = coalesce($4, extension),
                           access_level = coalesce($5, access_level),
                           is_online = coalesce($6, is_online),
                           ignore_in_journal = coalesce($7, ignore_in_journal)
                     WHERE extension = $1
                    RETURNING id
                    """, number, fields.fullName, fields.email, fields.extensionNumber, fields.accessLevel,
                    fields.isOnline, fields.ignoreInJournal, operation: "update employee")
                guard let id = try rows.first.map({ try $0.decode("id", as: Int64.self) }) else {
                    throw DirectoryError.notFound("no employee has extension \(number)")
                }
                if let departments {
                    let ids = try departments.map { try departmentID(named: $0) }
                    try connection.query("DELETE FROM calljournal.employee_departments WHERE employee_id = $1", id,
                                         operation: "replace employee departments")
                    for departmentID in ids {
                        try connection.query("INSERT INTO calljournal.employee_departments VALUES ($1, $2)", id, departmentID,
                                             operation: "add employee to department")
                    }
                }
                return try employee(extension: fields.extensionNumber ?? number)
            }
        }
    }

    /// Removes an employee; their calls stay in the journal with the employee unset.
    public func removeEmployee(extension number: String) throws {
        let rows = try connection.query("DELETE FROM calljournal.employees WHERE extension = $1 RETURNING id", number,
                                        operation: "remove employee")
        guard !rows.isEmpty else { throw DirectoryError.notFound("no employee has extension \(number)") }
    }

    // MARK: Departments

    public func listDepartments() throws -> PostgresRows {
        try connection.query("""
            SELECT d.id, d.name, count(ed.employee_id) AS employees
              FROM calljournal.departments d
              LEFT JOIN calljournal.employee_departments ed ON ed.department_id = d.id
             GROUP BY d.id ORDER BY d.name
            """, operation: "list departments")
    }

    public func addDepartment(name: String) throws -> PostgresRows {
        try translatingConstraints {
            try connection.query("INSERT INTO calljournal.departments (name) VALUES ($1) RETURNING id, name", name,
                                 operation: "add department")
        }
    }

    public func renameDepartment(_ name: String, to newName: String) throws -> PostgresRows {
        try translatingConstraints {
            let rows = try connection.query("UPDATE calljournal.departments SET name = $2 WHERE name = $1 RETURNING id, name",
                                            name, newName, operation: "rename department")
            guard !rows.isEmpty else { throw DirectoryError.notFound("no department is named \(name)") }
            return rows
        }
    }

    public func removeDepartment(name: String) throws {
        let rows = try connection.query("DELETE FROM calljournal.departments WHERE name = $1 RETURNING id", name,
                                        operation: "remove department")
        guard !rows.isEmpty else { throw DirectoryError.notFound("no department is named \(name)") }
    }

    func departmentID(named name: String) throws -> Int64 {
        let rows = try connection.query("SELECT id FROM calljournal.departments WHERE name = $1", name,
                                        operation: "find department")
        guard let row = rows.first else {
            throw DirectoryError.notFound("no department is named \(name) (see `calljournal department list`)")
        }
        return try row.decode("id")
    }

    // MARK: Endpoints

    public func listEndpoints(extension number: String? = nil) throws -> PostgresRows {
        try connection.query("""
            SELECT p.id, p.kind, p.address, e.extension, e.full_name
              FROM calljournal.employee_endpoints p JOIN calljournal.employees e ON e.id = p.employee_id
             WHERE $1::text IS NULL OR e.extension = $1
             ORDER BY e.extension, p.kind, p.address
            """, number, operation: "list endpoints")
    }

    public func addEndpoint(extension number: String, kind: EndpointKind, address: String) throws -> PostgresRows {
        try translatingConstraints {
            let rows = try connection.query("""
                INSERT INTO calljournal.employee_endpoints (employee_id, kind, address)
                SELECT id, $2, $3 FROM calljournal.employees WHERE extension = $1
                RETURNING id, kind, address
                """, number, kind.rawValue, address, operation: "add endpoint")
            guard !rows.isEmpty else { throw DirectoryError.notFound("no employee has extension \(number)") }
            return rows
        }
    }

    public func removeEndpoint(kind: EndpointKind, address: String) throws {
        let rows = try connection.query(
            "DELETE FROM calljournal.employee_endpoints WHERE kind = $1 AND address = $2 RETURNING id",
            kind.rawValue, address, operation: "remove endpoint")
        guard !rows.isEmpty else { throw DirectoryError.notFound("no \(kind.rawValue) endpoint \(address)") }
    }

    // MARK: Categories

    public func listCategories() throws -> PostgresRows {
        try connection.query("SELECT id, code, name, value, is_active FROM calljournal.call_categories ORDER BY code",
                             operation: "list categories")
    }

    public func addCategory(code: Int, name: String, value: Decimal?) throws -> PostgresRows {
        try translatingConstraints {
            try connection.query("""
                INSERT INTO calljournal.call_categories (code, name, value) VALUES ($1, $2, $3)
                RETURNING id, code, name, value, is_active
                """, code, name, value, operation: "add category")
        }
    }

    /// Updates a category; `clearValue` removes its value.
    public func updateCategory(code: Int, newCode: Int?, name: String?, value: Decimal?, clearValue: Bool,
                               isActive: Bool?) throws -> PostgresRows {
        try translatingConstraints {
            let rows = try connection.query("""
                UPDATE calljournal.call_categories
                   SET code = coalesce($2, code), name = coalesce($3, name),
                       value = CASE WHEN $5 THEN NULL ELSE coalesce($4, value) END,
                       is_active = coalesce($6, is_active)
                 WHERE code = $1
                RETURNING id, code, name, value, is_active
                """, code, newCode, name, value, clearValue, isActive, operation: "update category")
            guard !rows.isEmpty else { throw DirectoryError.notFound("no category has code \(code)") }
            return rows
        }
    }

    public func removeCategory(code: Int) throws {
        try translatingConstraints {
            let rows = try connection.query("DELETE FROM calljournal.call_categories WHERE code = $1 RETURNING id", code,
                                            operation: "remove category")
            guard !rows.isEmpty else { throw DirectoryError.notFound("no category has code \(code)") }
        }
    }

    // MARK: Contacts

    static let contactColumns = """
        SELECT c.id, c.name, c.company, c.address, e.extension AS responsible_extension, e.full_name AS responsible_name,
               coalesce((SELECT string_agg(p.phone, ', ' ORDER BY p.phone) FROM calljournal.contact_phones p
                          WHERE p.contact_id = c.id), '') AS phones
          FROM calljournal.contacts c LEFT JOIN calljournal.employees e ON e.id = c.responsible_employee_id
        """

    public func listContacts() throws -> PostgresRows {
        try connection.query(Self.contactColumns + "\n ORDER BY c.name, c.id", operation: "list contacts")
    }

    public func addContact(_ contact: ContactFields, phones: [String]) throws -> PostgresRows {
        try translatingConstraints {
            try connection.transaction {
                let responsible = try contact.responsibleExtension.map { try employeeID(extension: $0) }
                let id = try connection.query("""
                    INSERT INTO calljournal.contacts (name, company, address, responsible_employee_id)
                    VALUES ($1, nullif($2, ''), nullif($3, ''), $4) RETURNING id
                    """, contact.name, contact.company, contact.address, responsible, operation: "add contact")
                    .first.map { try $0.decode("id", as: Int64.self) } ?? 0
                try insertPhones(phones, contactID: id)
                return try connection.query(Self.contactColumns + "\n WHERE c.id = $1", id, operation: "show contact")
            }
        }
    }

    /// Updates a contact; `phones`, when given, replaces their numbers. An empty responsible extension clears it.
    public func updateContact(id: Int64, _ contact: ContactFields, phones: [String]?) throws -> PostgresRows {
        try translatingConstraints {
            try connection.transaction {
                let responsible = try contact.responsibleExtension.flatMap { $0.isEmpty ? nil : try employeeID(extension: $0) }
                let rows = try connection.query("""
                    UPDATE calljournal.contacts
                       SET name = coalesce($2, name),
                           company = CASE WHEN $3::text IS NULL THEN company ELSE nullif($3, '') END,
                           address = CASE WHEN $4::text IS NULL THEN address ELSE nullif($4, '') END,
                           responsible_employee_id = CASE WHEN $6 THEN $5 ELSE responsible_employee_id END
                     WHERE id = $1 RETURNING id
                    """, id, contact.name, contact.company, contact.address, responsible,
                    contact.responsibleExtension != nil, operation: "update contact")
                guard !rows.isEmpty else { throw DirectoryError.notFound("no contact has id \(id)") }
                if let phones {
                    try connection.query("DELETE FROM calljournal.contact_phones WHERE contact_id = $1", id,
                                         operation: "replace contact phones")
                    try insertPhones(phones, contactID: id)
                }
                return try connection.query(Self.contactColumns + "\n WHERE c.id = $1", id, operation: "show contact")
            }
        }
    }

    public func removeContact(id: Int64) throws {
        let rows = try connection.query("DELETE FROM calljournal.contacts WHERE id = $1 RETURNING id", id,
                                        operation: "remove contact")
        guard !rows.isEmpty else { throw DirectoryError.notFound("no contact has id \(id)") }
    }

    private func insertPhones(_ phones: [String], contactID: Int64) throws {
        for phone in phones {
            try connection.query("INSERT INTO calljournal.contact_phones (contact_id, phone) VALUES ($1, $2)",
                                 contactID, phone, operation: "add contact phone")
        }
    }

    func employeeID(extension number: String) throws -> Int64 {
        let rows = try connection.query("SELECT id FROM calljournal.employees WHERE extension = $1", number,
                                        operation: "find employee")
        guard let row = rows.first else { throw DirectoryError.notFound("no employee has extension \(number)") }
        return try row.decode("id")
    }

    // MARK: Tracking numbers

    public func listTrackingNumbers() throws -> PostgresRows {
        try connection.query("SELECT did, source, medium, campaign FROM calljournal.tracking_numbers ORDER BY did",
                             operation: "list tracking numbers")
    }

    public func addTrackingNumber(did: String, source: String?, medium: String?, campaign: String?) throws -> PostgresRows {
        try translatingConstraints {
            try connection.query("""
                INSERT INTO calljournal.tracking_numbers (did, source, medium, campaign)
                VALUES ($1, nullif($2, ''), nullif($3, ''), nullif($4, ''))
                RETURNING did, source, medium, campaign
                """, did, source, medium, campaign, operation: "add tracking number")
        }
    }

    /// Changes the labels given; nil leaves a label as it is, an empty string clears it.
    public func updateTrackingNumber(did: String, source: String?, medium: String?, campaign: String?) throws -> PostgresRows {
        let rows = try connection.query("""
            UPDATE calljournal.tracking_numbers
               SET source = CASE WHEN $2::text IS NULL THEN source ELSE nullif($2, '') END,
                   medium = CASE WHEN $3::text IS NULL THEN medium ELSE nullif($3, '') END,
                   campaign = CASE WHEN $4::text IS NULL THEN campaign ELSE nullif($4, '') END
             WHERE did = $1 RETURNING did, source, medium, campaign
            """, did, source, medium, campaign, operation: "update tracking number")
        guard !rows.isEmpty else { throw DirectoryError.notFound("no tracking number \(did)") }
        return rows
    }

    public func removeTrackingNumber(did: String) throws {
        let rows = try connection.query("DELETE FROM calljournal.tracking_numbers WHERE did = $1 RETURNING did", did,
                                        operation: "remove tracking number")
        guard !rows.isEmpty else { throw DirectoryError.notFound("no tracking number \(did)") }
    }

    // MARK: Errors

    /// Runs `body`, turning constraint violations into errors that name the conflicting row.
    func translatingConstraints<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PostgresError where error.sqlState.hasPrefix("23") {
            throw try DirectoryError(violation: error, explainingWith: connection)
        }
    }
}
