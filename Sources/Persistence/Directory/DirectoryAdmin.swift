/// Changes to the directory made by operators (`calljournal employee add`, …): employees, departments, endpoints,
/// categories, contacts and tracking numbers.
///
/// Every statement is parameterized. Rows come back as `PostgresRows` so the command line can print any of them as a
/// table or JSON. Constraint violations become a `DirectoryError` that names the conflicting row.
public struct DirectoryAdmin {
    public let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// The id of the employee with extension `number`; ``DirectoryError/notFound(_:)`` when there is none.
    func employeeID(extension number: String) throws -> Int64 {
        let rows = try connection.query("SELECT id FROM calljournal.employees WHERE extension = $1", number,
                                        operation: "find employee")
        guard let row = rows.first else { throw DirectoryError.notFound("no employee has extension \(number)") }
        return try row.decode("id")
    }

    /// The id of the department called `name`; ``DirectoryError/notFound(_:)`` when there is none.
    func departmentID(named name: String) throws -> Int64 {
        let rows = try connection.query("SELECT id FROM calljournal.departments WHERE name = $1", name,
                                        operation: "find department")
        guard let row = rows.first else {
            throw DirectoryError.notFound("no department is named \(name) (see `calljournal department list`)")
        }
        return try row.decode("id")
    }

    /// Runs `body`, turning constraint violations into errors that name the conflicting row.
    func translatingConstraints<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PostgresError where error.sqlState.hasPrefix("23") {
            throw try DirectoryError(violation: error, explainingWith: connection)
        }
    }
}
