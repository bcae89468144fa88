/// An employee as the FastAGI handlers need them.
public struct DirectoryEmployee: Sendable, Hashable {
    public var id: Int64
    public var fullName: String
    /// The internal extension dialled to reach the employee, e.g. `101`.
    public var extensionNumber: String
    /// The operator's online flag (the `status` script changes it); offline employees are not routed to.
    public var isOnline: Bool
    /// SIP accounts (PJSIP endpoint names) that ring for the employee, e.g. `["101", "sasha123"]`.
    public var sipAccounts: [String]
    /// External numbers that ring for the employee through the trunk, e.g. `["0501234567"]`.
    public var phoneNumbers: [String]

    public init(
        id: Int64, fullName: String, extensionNumber: String, isOnline: Bool, sipAccounts: [String],
        phoneNumbers: [String]
    ) {
        self.id = id
        self.fullName = fullName
        self.extensionNumber = extensionNumber
        self.isOnline = isOnline
        self.sipAccounts = sipAccounts
        self.phoneNumbers = phoneNumbers
    }
}

/// A call category an agent can key in after a call (`code` is what they type).
public struct DirectoryCategory: Sendable, Hashable {
    public var id: Int64
    public var code: Int
    public var name: String

    public init(id: Int64, code: Int, name: String) {
        self.id = id
        self.code = code
        self.name = name
    }
}

/// An immutable, indexed copy of the directory: employees, categories and which employee is
/// responsible for which client number. Look-ups are dictionary reads, so routing never waits
/// on the database; a new snapshot replaces the old one whole when the directory changes.
///
/// When two employees claim the same extension or SIP account, the one with the lower `id`
/// wins, so the answer does not depend on the order rows arrived in.
public struct DirectorySnapshot: Sendable {
    public let employees: [DirectoryEmployee]
    public let categories: [DirectoryCategory]
    private let byID: [Int64: DirectoryEmployee]
    private let byExtension: [String: DirectoryEmployee]
    private let bySIPAccount: [String: DirectoryEmployee]
    private let categoriesByCode: [Int: DirectoryCategory]
    private let ownerByClientNumber: [String: Int64]

    /// - Parameter contactOwners: client phone number (digits only; other characters are
    ///   removed here as well) -> the responsible employee's id.
    public init(employees: [DirectoryEmployee], categories: [DirectoryCategory], contactOwners: [String: Int64]) {
        let ordered = employees.sorted { $0.id < $1.id }
        self.employees = ordered
        self.categories = categories.sorted { $0.code < $1.code }
        var byID: [Int64: DirectoryEmployee] = [:]
        var byExtension: [String: DirectoryEmployee] = [:]
        var bySIPAccount: [String: DirectoryEmployee] = [:]
        for employee in ordered {
            byID[employee.id] = byID[employee.id] ?? employee
            if !employee.extensionNumber.isEmpty {
                byExtension[employee.extensionNumber] = byExtension[employee.extensionNumber] ?? employee
            }
            for account in employee.sipAccounts where !account.isEmpty {
                bySIPAccount[account] = bySIPAccount[account] ?? employee
            }
        }
        self.byID = byID
        self.byExtension = byExtension
        self.bySIPAccount = bySIPAccount
        var categoriesByCode: [Int: DirectoryCategory] = [:]
        for category in self.categories { categoriesByCode[category.code] = categoriesByCode[category.code] ?? category }
        self.categoriesByCode = categoriesByCode
        var owners: [String: Int64] = [:]
        for (number, owner) in contactOwners {
            let digits = Self.digits(of: number)
            if !digits.isEmpty { owners[digits] = owners[digits].map { min($0, owner) } ?? owner }
        }
        self.ownerByClientNumber = owners
    }

    /// An empty directory: every route is `UNKNOWN` until the first snapshot arrives.
    public static let empty = DirectorySnapshot(employees: [], categories: [], contactOwners: [:])

    public func employee(extension number: String) -> DirectoryEmployee? { byExtension[number] }

    public func employee(id: Int64) -> DirectoryEmployee? { byID[id] }

    /// The employee who owns a SIP account (the endpoint part of `PJSIP/101-0000001a`).
    public func employee(sipAccount: String) -> DirectoryEmployee? { bySIPAccount[sipAccount] }

    public func category(code: Int) -> DirectoryCategory? { categoriesByCode[code] }

    /// The employee responsible for a client, by the client's number in any notation
    /// (`+7 916 123-45-67` and `79161234567` are the same number).
    public func responsibleEmployee(forClientNumber number: String) -> DirectoryEmployee? {
        let digits = Self.digits(of: number)
        guard !digits.isEmpty, let owner = ownerByClientNumber[digits] else { return nil }
        return byID[owner]
    }

    static func digits(of number: String) -> String {
        let isDigit = { (byte: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        // Routing looks numbers up already reduced to digits: hand those back as they are.
        if number.utf8.allSatisfy(isDigit) { return number }
        return String(decoding: number.utf8.filter(isDigit), as: UTF8.self)
    }
}
