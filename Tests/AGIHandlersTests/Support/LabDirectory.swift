import AGIHandlers

/// The lab's people as a directory: agents 101-104 as in the recordings, the "duty desk" whose
/// two phones rang together in S11, and the recorded callers as clients of the employee the
/// lab routed them to.
enum LabDirectory {
    static let agent101 = DirectoryEmployee(
        id: 1, fullName: "Agent 101", extensionNumber: "101", isOnline: true, sipAccounts: ["101"], phoneNumbers: [])
    static let agent102 = DirectoryEmployee(
        id: 2, fullName: "Agent 102", extensionNumber: "102", isOnline: true, sipAccounts: ["102"], phoneNumbers: [])
    static let agent103 = DirectoryEmployee(
        id: 3, fullName: "Agent 103", extensionNumber: "103", isOnline: true, sipAccounts: ["103"], phoneNumbers: [])
    static let agent104 = DirectoryEmployee(
        id: 4, fullName: "Agent 104", extensionNumber: "104", isOnline: false, sipAccounts: ["104"],
        phoneNumbers: ["+380501234567"])
    static let dutyDesk = DirectoryEmployee(
        id: 5, fullName: "Duty desk", extensionNumber: "150", isOnline: true, sipAccounts: ["101", "102"], phoneNumbers: [])
    /// Reached on a mobile only, through the trunk (S14).
    static let fieldAgent = DirectoryEmployee(
        id: 6, fullName: "Field agent", extensionNumber: "160", isOnline: true, sipAccounts: [], phoneNumbers: ["79001110202"])
    /// A desk phone and a mobile that ring together (S15).
    static let roamingDesk = DirectoryEmployee(
        id: 7, fullName: "Roaming desk", extensionNumber: "170", isOnline: true, sipAccounts: ["101"],
        phoneNumbers: ["79001110303"])

    static let categories = [
        DirectoryCategory(id: 11, code: 1, name: "Sale"),
        DirectoryCategory(id: 12, code: 2, name: "Support"),
        DirectoryCategory(id: 13, code: 3, name: "Complaint"),
    ]

    /// Callers of the recorded inbound calls and who handled them in the lab.
    static let clients: [String: Int64] = [
        "79161234567": 1, "79035556677": 1, "79167654321": 1, "79261112233": 1, "79854443322": 1, "79031234500": 1,
        "79037778899": 1, "79160000001": 1, "79267778800": 1, "79160000002": 2, "+7 916 999-00-11": 5,
        "79161002030": 6, "79162003040": 7, "79035551818": 1, "79036661919": 1, "79039992222": 1, "79040002323": 1,
    ]

    static let snapshot = DirectorySnapshot(
        employees: [agent101, agent102, agent103, agent104, dutyDesk, fieldAgent, roamingDesk], categories: categories, contactOwners: clients)
}
