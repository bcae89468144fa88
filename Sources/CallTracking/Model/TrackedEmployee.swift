/// What the tracker needs to know about an employee: who owns an endpoint.
public struct TrackedEmployee: Sendable, Hashable {
    public var id: Int64
    public var extensionNumber: String
    /// Calls on this employee's endpoints are journaled without attributing them to the employee.
    public var ignoreInJournal: Bool

    public init(id: Int64, extensionNumber: String, ignoreInJournal: Bool = false) {
        self.id = id
        self.extensionNumber = extensionNumber
        self.ignoreInJournal = ignoreInJournal
    }
}

/// The tracker's view of the directory: SIP endpoints of employees, their outside phone numbers, and the trunks.
public struct EndpointDirectory: Sendable, Hashable {
    /// SIP account (endpoint name) → its employee.
    public var employeesByEndpoint: [String: TrackedEmployee]
    /// An employee's outside phone number (a mobile `route` dials through a trunk) → the employee.
    public var employeesByPhone: [String: TrackedEmployee]
    /// The trunks to the outside world, each an endpoint name (`trunk`: that endpoint of any technology), a
    /// technology and name (`SIP/provider`, `IAX2/hq`), or every channel of a technology (`DAHDI/*`).
    public var trunkEndpoints: Set<String>
    /// When true, an endpoint that is neither a trunk nor in `employeesByEndpoint` counts as an employee endpoint
    /// named after itself (with no id). `calljournal replay --dry-run` uses this when there is no database.
    public var unknownEndpointsAreEmployees: Bool

    public init(
        employeesByEndpoint: [String: TrackedEmployee] = [:],
        employeesByPhone: [String: TrackedEmployee] = [:],
        trunkEndpoints: Set<String>,
        unknownEndpointsAreEmployees: Bool = false
    ) {
        self.employeesByEndpoint = employeesByEndpoint
        self.employeesByPhone = employeesByPhone
        self.trunkEndpoints = trunkEndpoints
        self.unknownEndpointsAreEmployees = unknownEndpointsAreEmployees
    }

    /// Whether a channel of `technology` on `endpoint` goes to the outside world.
    func isTrunk(technology: String, endpoint: String) -> Bool {
        trunkEndpoints.contains(endpoint) || trunkEndpoints.contains(technology + "/" + endpoint)
            || trunkEndpoints.contains(technology + "/*")
    }
}
