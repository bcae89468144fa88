public import Foundation

/// What people add to a call: categories, value, comment and ratings — from the post-call menu (DTMF) or the
/// command line — and the employee's online flag.
///
/// The same rules apply whichever way a value arrives: a category must exist and be active, a value is a
/// non-negative amount, ratings are 1 to 5.
public struct CallAnnotations {
    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// Saves what an agent keyed in after a call, in one transaction. When the call's row does not exist yet (the
    /// journal writer is behind), a placeholder in progress is created; the writer completes it, keeping the marks
    /// and the value.
    public func savePostCall(pbx: String, linkedid: String, employeeID: Int64, categoryID: Int64?, value: Decimal?) throws {
        try connection.transaction {
            let callID = try ensureCall(pbx: pbx, linkedid: linkedid)
            if let categoryID {
                try connection.query("""
                    INSERT INTO calljournal.call_category_marks (call_id, category_id, employee_id, via)
                    VALUES ($1, $2, $3, 'dtmf')
                    ON CONFLICT (call_id, category_id) DO UPDATE SET employee_id = EXCLUDED.employee_id, via = 'dtmf',
                        created_at = now()
                    """, callID, categoryID, employeeID, operation: "save post-call category")
            }
            if let value {
                try connection.query("UPDATE calljournal.calls SET value = $2 WHERE id = $1", callID, value,
                                     operation: "save post-call value")
            }
        }
    }

    /// Sets an employee's online flag (the operator-status feature code).
    public func setOnline(employeeID: Int64, isOnline: Bool) throws {
        let rows = try connection.query("UPDATE calljournal.employees SET is_online = $2 WHERE id = $1 RETURNING id",
                                        employeeID, isOnline, operation: "set employee online")
        guard !rows.isEmpty else { throw DirectoryError.notFound("no employee has id \(employeeID)") }
    }

    /// Annotates a call from the command line (`via = cli`, `setBy` recorded) and returns the call as the journal
    /// shows it. Only the given fields change; an empty comment clears it.
    public func annotate(callID: Int64, categoryCodes: [Int], replaceCategories: Bool, value: Decimal?, comment: String?,
                         callRating: Int?, employeeRating: Int?, setBy: String) throws -> PostgresRows {
        for rating in [callRating, employeeRating].compactMap({ $0 }) where !(1 ... 5).contains(rating) {
            throw DirectoryError.invalid("a rating is 1 to 5, not \(rating)")
        }
        if let value, value < 0 { throw DirectoryError.invalid("a call value must not be negative") }
        return try connection.transaction {
            let updated = try connection.query("""
                UPDATE calljournal.calls
                   SET value = coalesce($2, value),
                       comment = CASE WHEN $3::text IS NULL THEN comment ELSE nullif($3, '') END,
                       call_rating = coalesce($4, call_rating),
                       employee_rating = coalesce($5, employee_rating)
                 WHERE id = $1 RETURNING id
                """, callID, value, comment, callRating.map(Int16.init), employeeRating.map(Int16.init),
                operation: "annotate call")
            guard !updated.isEmpty else { throw DirectoryError.notFound("no call has id \(callID)") }
            if replaceCategories {
                try connection.query("DELETE FROM calljournal.call_category_marks WHERE call_id = $1", callID,
                                     operation: "clear call categories")
            }
            for code in categoryCodes {
                let category = try connection.query(
                    "SELECT id, is_active FROM calljournal.call_categories WHERE code = $1", code, operation: "find category")
                guard let row = category.first else { throw DirectoryError.notFound("no category has code \(code)") }
                guard try row.decode("is_active", as: Bool.self) else {
                    throw DirectoryError.invalid("category \(code) is inactive")
                }
                try connection.query("""
                    INSERT INTO calljournal.call_category_marks (call_id, category_id, set_by, via) VALUES ($1, $2, $3, 'cli')
                    ON CONFLICT (call_id, category_id) DO UPDATE SET set_by = EXCLUDED.set_by, via = 'cli', created_at = now()
                    """, callID, try row.decode("id", as: Int64.self), setBy, operation: "set call category")
            }
            return try connection.query("SELECT * FROM calljournal.journal WHERE id = $1", callID, operation: "show call")
        }
    }

    /// The id of the call `(pbx, linkedid)`, creating a placeholder in progress when the writer has not written it.
    /// The placeholder's `last_event_at` is -infinity, so the first real version of the call replaces all of it.
    func ensureCall(pbx: String, linkedid: String) throws -> Int64 {
        let rows = try connection.query("""
            INSERT INTO calljournal.calls (pbx, linkedid, direction, status, started_at, last_event_at)
            VALUES ($1, $2, 'inbound', 'in_progress', now(), '-infinity')
            ON CONFLICT (pbx, linkedid) DO UPDATE SET pbx = EXCLUDED.pbx
            RETURNING id
            """, pbx, linkedid, operation: "find call")
        guard let row = rows.first else { throw DirectoryError.notFound("no call \(linkedid) on \(pbx)") }
        return try row.decode("id")
    }
}
