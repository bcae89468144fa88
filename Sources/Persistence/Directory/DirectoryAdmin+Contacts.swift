extension DirectoryAdmin {
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

    fileprivate func insertPhones(_ phones: [String], contactID: Int64) throws {
        for phone in phones {
            try connection.query("INSERT INTO calljournal.contact_phones (contact_id, phone) VALUES ($1, $2)",
                                 contactID, phone, operation: "add contact phone")
        }
    }
}
