/// Fields of an employee to add or change; nil leaves a field as it is (on add: the column's default).
public struct EmployeeFields: Sendable, Equatable {
    public var fullName: String?
    /// An empty string clears the e-mail.
    public var email: String?
    public var extensionNumber: String?
    public var accessLevel: String?
    public var isOnline: Bool?
    public var ignoreInJournal: Bool?

    public init(fullName: String? = nil, email: String? = nil, extensionNumber: String? = nil, accessLevel: String? = nil,
                isOnline: Bool? = nil, ignoreInJournal: Bool? = nil) {
        self.fullName = fullName
        self.email = email
        self.extensionNumber = extensionNumber
        self.accessLevel = accessLevel
        self.isOnline = isOnline
        self.ignoreInJournal = ignoreInJournal
    }
}

/// Fields of a contact to add or change; nil leaves a field as it is, an empty string clears it.
public struct ContactFields: Sendable, Equatable {
    public var name: String?
    public var company: String?
    public var address: String?
    /// The extension of the responsible employee.
    public var responsibleExtension: String?

    public init(name: String? = nil, company: String? = nil, address: String? = nil, responsibleExtension: String? = nil) {
        self.name = name
        self.company = company
        self.address = address
        self.responsibleExtension = responsibleExtension
    }
}

/// The kinds of `employee_endpoints`.
public enum EndpointKind: String, Sendable, CaseIterable {
    /// An Asterisk SIP endpoint (`PJSIP/<address>`).
    case sip
    /// A phone number reached through a trunk.
    case phone
}
