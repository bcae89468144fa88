/// A column of the call export: its name and the SQL expression over `calls c` and `employees e`.
public struct CallExportField: Sendable {
    public let name: String
    let expression: String
    /// The column's type, for a front that prints typed values before any row (or without one) has arrived.
    public let type: PostgresType

    init(_ name: String, _ expression: String? = nil, _ type: PostgresType = .text) {
        self.name = name
        self.expression = expression ?? "c.\(name)"
        self.type = type
    }

    /// Every field, in the order an export without a choice prints them.
    public static let all: [CallExportField] = [
        .init("id", nil, .int8), .init("pbx"), .init("linkedid"), .init("started_at"), .init("answered_at"),
        .init("ended_at"), .init("direction"), .init("status"), .init("client_number"), .init("caller_number"),
        .init("caller_name"), .init("called_number"), .init("did"), .init("shown_number"), .init("dialed_number"),
        .init("employee", "e.full_name"), .init("employee_extension", "e.extension"), .init("answered_extension"),
        .init("departments", "array_to_string(c.department_names, ', ')"),
        .init("wait_seconds", nil, .numeric), .init("talk_seconds", nil, .numeric),
        .init("categories", """
            (SELECT string_agg(k.code || ' ' || k.name, ', ' ORDER BY k.code) FROM calljournal.call_category_marks m
               JOIN calljournal.call_categories k ON k.id = m.category_id WHERE m.call_id = c.id)
            """),
        .init("value", nil, .numeric), .init("comment"), .init("call_rating", nil, .int4),
        .init("employee_rating", nil, .int4), .init("source"), .init("medium"), .init("campaign"),
        .init("is_new_caller", nil, .bool), .init("is_target", nil, .bool), .init("hung_up_first"),
        .init("hangup_cause", nil, .int4), .init("hangup_cause_text"), .init("queue_name"), .init("recording_file"),
        .init("ended_while_disconnected", nil, .bool),
    ]

    public static var allNames: [String] { all.map(\.name) }

    /// The field called `name`, if there is one.
    public static func named(_ name: String) -> CallExportField? {
        all.first { $0.name == name }
    }
}
