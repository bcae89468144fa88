public import Foundation

extension DirectoryAdmin {
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
}
