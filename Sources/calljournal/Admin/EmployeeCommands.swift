import ArgumentParser
import Persistence

/// `calljournal employee …`
struct EmployeeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "employee",
        abstract: "Add, list, update and remove employees.",
        subcommands: [List.self, Show.self, Add.self, Update.self, Remove.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List employees with their departments and endpoints.")
        @OptionGroup var options: AdminOptions
        @Option(help: "Only employees of this department.") var department: String?
        func run() async throws { try await options.run { try $0.listEmployees(department: department) } }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one employee by extension.")
        @OptionGroup var options: AdminOptions
        @Argument(help: "The employee's extension.") var extensionNumber: String
        func run() async throws { try await options.run { try $0.employee(extension: extensionNumber) } }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an employee.",
            discussion: "Example: calljournal employee add --extension 101 --name 'Alice Smith' --department Sales --sip 101"
        )
        @OptionGroup var options: AdminOptions
        @Option(name: .customLong("extension"), help: "Internal extension (digits, unique).") var extensionNumber: String
        @Option(help: "Full name.") var name: String
        @Option(help: "Work e-mail (unique).") var email: String?
        @Option(help: "employee, analyst or admin.") var accessLevel: String?
        @Option(help: "A department the employee is in (repeatable; it must exist).") var department: [String] = []
        @Option(help: "A SIP account (Asterisk endpoint) of the employee (repeatable).") var sip: [String] = []
        @Option(help: "A phone number of the employee, dialled through a trunk (repeatable).") var phone: [String] = []
        @Flag(help: "Start offline (the route script answers OFFLINE).") var offline = false
        @Flag(help: "Journal this employee's calls without attributing them.") var ignoreInJournal = false

        func run() async throws {
            try await options.run { admin in
                let fields = EmployeeFields(fullName: name, email: email, extensionNumber: extensionNumber,
                                            accessLevel: accessLevel, isOnline: !offline, ignoreInJournal: ignoreInJournal)
                let endpoints = sip.map { (kind: EndpointKind.sip, address: $0) } + phone.map { (kind: EndpointKind.phone, address: $0) }
                return try admin.addEmployee(fields, departments: department, endpoints: endpoints)
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change an employee; options not given stay as they are.")
        @OptionGroup var options: AdminOptions
        @Argument(help: "The employee's current extension.") var extensionNumber: String
        @Option(help: "New full name.") var name: String?
        @Option(help: "New e-mail; an empty string clears it.") var email: String?
        @Option(name: .customLong("new-extension"), help: "New extension.") var newExtension: String?
        @Option(help: "employee, analyst or admin.") var accessLevel: String?
        @Option(help: "Replace the departments with these (repeatable).") var department: [String] = []
        @Flag(help: "Remove the employee from every department.") var noDepartments = false
        @Flag(inversion: .prefixedNo, help: "Set the online flag.") var online: Bool?
        @Flag(inversion: .prefixedNo, help: "Set the ignore-in-journal flag.") var ignoreInJournal: Bool?

        func run() async throws {
            let departments: [String]? = noDepartments ? [] : department.isEmpty ? nil : department
            try await options.run { admin in
                try admin.updateEmployee(
                    extension: extensionNumber,
                    EmployeeFields(fullName: name, email: email, extensionNumber: newExtension, accessLevel: accessLevel,
                                   isOnline: online, ignoreInJournal: ignoreInJournal),
                    departments: departments)
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove an employee.",
            discussion: "Their calls stay in the journal; the answering employee of those calls becomes empty."
        )
        @OptionGroup var options: AdminOptions
        @Argument(help: "The employee's extension.") var extensionNumber: String
        func run() async throws {
            try await options.run("removed employee \(extensionNumber)") { try $0.removeEmployee(extension: extensionNumber); return nil }
        }
    }
}
