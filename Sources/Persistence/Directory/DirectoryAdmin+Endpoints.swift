extension DirectoryAdmin {
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
}
