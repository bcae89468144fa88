/// What an agent keyed in after a call, to be stored on the call found by its linkedid.
public struct PostCallResult: Sendable, Equatable {
    /// The call's linkedid (`CHANNEL(linkedid)` of the agent's channel), e.g. `1795358807.0`.
    public var linkedid: String
    /// The agent's channel unique ID, e.g. `1795358807.1`, when known.
    public var uniqueid: String?
    /// The employee who keyed it (found by the channel's endpoint).
    public var employeeID: Int64
    /// The chosen category's id; `nil` when the category was not asked.
    public var categoryID: Int64?
    /// The value typed; `nil` when not asked or left empty.
    public var value: Int64?

    public init(linkedid: String, uniqueid: String?, employeeID: Int64, categoryID: Int64?, value: Int64?) {
        self.linkedid = linkedid
        self.uniqueid = uniqueid
        self.employeeID = employeeID
        self.categoryID = categoryID
        self.value = value
    }
}

/// Where the `postcall` and `status` scripts write. The PostgreSQL implementation stores the
/// category mark with `via = dtmf`, the value and the employee on the call row, also while the
/// call row is still in progress; it must be idempotent, as a retry may repeat a save.
public protocol CallAnnotationStore: Sendable {
    func savePostCallResult(_ result: PostCallResult) async throws
    func setEmployeeOnline(employeeID: Int64, isOnline: Bool) async throws
}
