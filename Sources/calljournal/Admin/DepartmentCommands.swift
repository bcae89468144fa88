import ArgumentParser
import Persistence

/// `calljournal department …`
struct DepartmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "department",
        abstract: "Add, list, rename and remove departments.",
        subcommands: [List.self, Add.self, Rename.self, Remove.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List departments with their number of employees.")
        @OptionGroup var options: AdminOptions
        func run() async throws { try await options.run { try $0.listDepartments() } }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a department.")
        @OptionGroup var options: AdminOptions
        @Argument(help: "The department's name (unique).") var name: String
        func run() async throws { try await options.run { try $0.addDepartment(name: name) } }
    }

    struct Rename: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rename a department.")
        @OptionGroup var options: AdminOptions
        @Argument(help: "The current name.") var name: String
        @Argument(help: "The new name.") var newName: String
        func run() async throws { try await options.run { try $0.renameDepartment(name, to: newName) } }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a department.",
            discussion: "Employees stay; they just leave the department. Journal rows keep the department names they had."
        )
        @OptionGroup var options: AdminOptions
        @Argument(help: "The department's name.") var name: String
        func run() async throws {
            try await options.run("removed department \(name)") { try $0.removeDepartment(name: name); return nil }
        }
    }
}
