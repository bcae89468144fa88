import LogKeys
public import Logging

/// The `route` script: tells the dialplan whom to ring.
///
/// ```
/// AGI(agi://127.0.0.1:4573/route?ext=${EXTEN})                  internal: extension -> employee
/// AGI(agi://127.0.0.1:4573/route?did=${EXTEN})                  inbound: caller -> responsible employee
/// ```
///
/// Inputs: with `?did=` the caller (`agi_callerid`, else `?cid=`) is looked up among the
/// contacts and a known client goes to their responsible employee; without it the extension
/// (`?ext=`, else `agi_extension`) is looked up. Sets always all four, so that values from an
/// earlier `route` on the same channel do not survive this one (a blind transfer runs `route`
/// again on the caller's channel, trace S8); for a session that fails before it sets them, the
/// dialplan in asterisk-conf clears them before each `AGI()`:
///
/// | variable | value |
/// |---|---|
/// | `ROUTE_STATUS` | `OK`; `OFFLINE` when the employee is offline or has no usable endpoint; `UNKNOWN` when no employee matches or an input is invalid |
/// | `ROUTE_DIAL` | the Dial string (see ``RouteDialTemplates``), empty unless `OK` |
/// | `ROUTE_EMPLOYEE_ID`, `ROUTE_EMPLOYEE_NAME` | the employee found, empty for `UNKNOWN` |
///
/// With a ``SynchronousDirectorySource`` the whole session runs on the connection's event
/// loop (see ``AGIPlannedScriptHandler``); with any other source it runs as an async session.
/// Both send the same four commands.
public struct RouteHandler: AGIPlannedScriptHandler {
    /// What the route decided.
    public struct Decision: Sendable, Equatable {
        public enum Status: String, Sendable {
            case ok = "OK", offline = "OFFLINE", unknown = "UNKNOWN"
        }
        public var status: Status
        public var dial: String
        public var employee: DirectoryEmployee?
    }

    private let directory: any DirectorySource
    /// The same source when it can answer without suspending, found once rather than per call.
    private let synchronousDirectory: (any SynchronousDirectorySource)?
    private let templates: RouteDialTemplates

    public init(directory: any DirectorySource, templates: RouteDialTemplates = RouteDialTemplates()) {
        self.directory = directory
        self.synchronousDirectory = directory as? any SynchronousDirectorySource
        self.templates = templates
    }

    public func handle(_ session: AGISession) async throws {
        let commands = try commands(
            for: routeCall(environment: session.environment, snapshot: await directory.current()), logger: session.logger)
        for command in commands {
            _ = try await session.execute(command)
        }
    }

    public func plannedCommands(for environment: AGIEnvironment, logger: Logger) throws(AGIError) -> [AGICommand]? {
        guard let synchronousDirectory else { return nil }
        return try commands(for: routeCall(environment: environment, snapshot: synchronousDirectory.currentSnapshot()), logger: logger)
    }

    /// The four `SET VARIABLE` commands that tell the dialplan a decision.
    func commands(for decision: Decision, logger: Logger) throws(AGIError) -> [AGICommand] {
        logger.debug(
            "route decided",
            metadata: [LogKey.status: "\(decision.status.rawValue)", LogKey.employee: "\(decision.employee?.id ?? 0)"])
        do {
            return [
                try .setVariable("ROUTE_STATUS", decision.status.rawValue),
                try .setVariable("ROUTE_DIAL", decision.dial),
                try .setVariable("ROUTE_EMPLOYEE_ID", decision.employee.map { String($0.id) } ?? ""),
                try .setVariable("ROUTE_EMPLOYEE_NAME", decision.employee.map { CallerInput.displayText($0.fullName) } ?? ""),
            ]
        } catch {
            throw .protocolViolation(error)
        }
    }

    /// The routing decision for a session's inputs, without any I/O.
    public func routeCall(environment: AGIEnvironment, snapshot: DirectorySnapshot) -> Decision {
        let request = environment.request
        let employee: DirectoryEmployee?
        if let did = request["did"] {
            // A DID that is not a plain number means a broken dialplan or injected input: route nowhere.
            guard CallerInput.phoneNumber(did) != nil,
                let caller = CallerInput.phoneNumber(environment.callerID ?? request["cid"])
            else { return Decision(status: .unknown, dial: "", employee: nil) }
            employee = snapshot.responsibleEmployee(forClientNumber: caller)
        } else {
            guard let number = CallerInput.extensionNumber(request["ext"] ?? environment.extension) else {
                return Decision(status: .unknown, dial: "", employee: nil)
            }
            employee = snapshot.employee(extension: number)
        }
        guard let employee else { return Decision(status: .unknown, dial: "", employee: nil) }
        let dial = templates.dialString(for: employee)
        guard employee.isOnline, !dial.isEmpty else { return Decision(status: .offline, dial: "", employee: employee) }
        return Decision(status: .ok, dial: dial, employee: employee)
    }
}
