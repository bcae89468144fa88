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

/// The tracker's view of the directory: SIP endpoints of employees and the trunks.
public struct EndpointDirectory: Sendable, Hashable {
    /// SIP account (endpoint name) → its employee.
    public var employeesByEndpoint: [String: TrackedEmployee]
    /// Endpoint names that are trunks to the outside world.
    public var trunkEndpoints: Set<String>
    /// When true, an endpoint that is neither a trunk nor in `employeesByEndpoint` counts as an employee endpoint
    /// named after itself (with no id). `calljournal replay --dry-run` uses this when there is no database.
    public var unknownEndpointsAreEmployees: Bool

    public init(
        employeesByEndpoint: [String: TrackedEmployee] = [:],
        trunkEndpoints: Set<String>,
        unknownEndpointsAreEmployees: Bool = false
    ) {
        self.employeesByEndpoint = employeesByEndpoint
        self.trunkEndpoints = trunkEndpoints
        self.unknownEndpointsAreEmployees = unknownEndpointsAreEmployees
    }
}
