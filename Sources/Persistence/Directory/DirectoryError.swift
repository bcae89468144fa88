/// Why a directory change was refused, in words an operator can act on.
public enum DirectoryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The row to change or refer to does not exist.
    case notFound(String)
    /// A unique value is already taken; the text names who has it.
    case duplicate(String)
    /// A value breaks a rule of the schema (format, range, a reference still in use).
    case invalid(String)

    public var description: String {
        switch self {
        case .notFound(let text), .duplicate(let text), .invalid(let text): text
        }
    }

    /// Explains a constraint violation (SQLSTATE class 23) by the constraint's name, looking up the row that holds
    /// a duplicate value where that helps ("extension 101 already belongs to Alice Smith").
    init(violation error: PostgresError, explainingWith connection: PostgresConnection) throws {
        let constraint = error.constraint ?? ""
        let value = Self.conflictingValue(in: error.detail)
        switch constraint {
        case "employees_extension_key":
            let owner = try? connection.query(
                "SELECT full_name FROM calljournal.employees WHERE extension = $1", value ?? "", operation: "find employee")
                .first?.decode("full_name", as: String.self)
            self = .duplicate("extension \(value ?? "?") already belongs to \(owner ?? "another employee")")
        case "employees_email_key":
            let owner = try? connection.query(
                "SELECT full_name, extension FROM calljournal.employees WHERE email = $1", value ?? "", operation: "find employee")
                .first.map { "\(try $0.decode("full_name", as: String.self)) (extension \(try $0.decode("extension", as: String.self)))" }
            self = .duplicate("email \(value ?? "?") already belongs to \(owner ?? "another employee")")
        case "employee_endpoints_kind_address_key":
            let owner = try? connection.query("""
                SELECT e.full_name, e.extension FROM calljournal.employee_endpoints p
                  JOIN calljournal.employees e ON e.id = p.employee_id WHERE p.address = $1
                """, Self.lastPart(of: value) ?? "", operation: "find endpoint owner")
                .first.map { "\(try $0.decode("full_name", as: String.self)) (extension \(try $0.decode("extension", as: String.self)))" }
            let kind = value?.hasPrefix("phone") == true ? "phone number" : "SIP account"
            self = .duplicate("\(kind) \(Self.lastPart(of: value) ?? "?") already belongs to \(owner ?? "another employee")")
        case "contact_phones_phone_key":
            let owner = try? connection.query("""
                SELECT c.name, c.id FROM calljournal.contact_phones p JOIN calljournal.contacts c ON c.id = p.contact_id
                 WHERE p.phone = $1
                """, value ?? "", operation: "find contact")
                .first.map { "\(try $0.decode("name", as: String.self)) (contact \(try $0.decode("id", as: Int64.self)))" }
            self = .duplicate("phone \(value ?? "?") already belongs to \(owner ?? "another contact")")
        case "departments_name_key":
            self = .duplicate("a department named \(value ?? "?") already exists")
        case "call_categories_code_key":
            self = .duplicate("category code \(value ?? "?") is already used")
        case "tracking_numbers_pkey":
            self = .duplicate("tracking number \(value ?? "?") already exists")
        case "call_category_marks_category_id_fkey":
            self = .invalid("the category is set on calls in the journal; deactivate it with `calljournal category update CODE --no-active` instead")
        default:
            self = .invalid(Self.explainCheck(constraint: constraint, error: error))
        }
    }

    /// Words for CHECK and NOT NULL violations of the directory tables.
    private static func explainCheck(constraint: String, error: PostgresError) -> String {
        switch constraint {
        case "employees_extension_check": "an extension is 1 to 15 digits"
        case "employees_email_check": "that does not look like an e-mail address"
        case "employees_access_level_check": "access level is employee, analyst or admin"
        case "employees_full_name_check", "contacts_name_check", "departments_name_check", "call_categories_name_check":
            "a name must not be empty"
        case "employee_endpoints_address_check":
            "an endpoint address is 1 to 80 letters, digits or _ . + -"
        case "contact_phones_phone_check": "a phone number is digits only (3 to 20)"
        case "tracking_numbers_did_check": "a tracking number (DID) is digits only (1 to 20)"
        case "call_categories_code_check": "a category code is 0 to 999999"
        case "call_categories_value_check": "a category value must not be negative"
        default: "\(error.message)\(error.detail.map { " (\($0))" } ?? "")"
        }
    }

    /// The value from a unique-violation detail: `Key (extension)=(101) already exists.` → `101`;
    /// for a composite key, `(kind, address)=(sip, 101)` → `sip, 101`.
    static func conflictingValue(in detail: String?) -> String? {
        guard let detail, let equals = detail.range(of: ")=("),
              let close = detail.range(of: ") ", range: equals.upperBound..<detail.endIndex)
        else { return nil }
        return String(detail[equals.upperBound..<close.lowerBound])
    }

    private static func lastPart(of value: String?) -> String? {
        value?.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
