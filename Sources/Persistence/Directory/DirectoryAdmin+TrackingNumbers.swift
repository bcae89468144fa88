extension DirectoryAdmin {
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
}
