extension DirectoryAdmin {
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
}
