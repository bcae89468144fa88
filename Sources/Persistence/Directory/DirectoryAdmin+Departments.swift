extension DirectoryAdmin {
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
}
