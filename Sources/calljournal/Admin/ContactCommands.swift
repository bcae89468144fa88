import ArgumentParser
import Persistence

/// `calljournal contact …`
struct ContactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contact",
        abstract: "Add, list, update and remove known clients and their phones.",
        subcommands: [List.self, Add.self, Update.self, Remove.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List contacts with their phones and responsible employee.")
        @OptionGroup var options: AdminOptions
        func run() async throws { try await options.run { try $0.listContacts() } }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a contact.",
            discussion: "Example: calljournal contact add 'Ivan Petrov' --company 'Acme' --phone 79161234567 --responsible 101"
        )
        @OptionGroup var options: AdminOptions
        @Argument(help: "The contact's name.") var name: String
        @Option(help: "Company.") var company: String?
        @Option(help: "Postal address.") var address: String?
        @Option(help: "Extension of the responsible employee; calls from this contact go to them.") var responsible: String?
        @Option(help: "A phone number (digits as the caller ID shows it; repeatable).") var phone: [String] = []
        func run() async throws {
            try await options.run {
                try $0.addContact(ContactFields(name: name, company: company, address: address, responsibleExtension: responsible),
                                  phones: phone)
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a contact; options not given stay as they are.")
        @OptionGroup var options: AdminOptions
        @Argument(help: "The contact's id (see `contact list`).") var id: Int64
        @Option(help: "New name.") var name: String?
        @Option(help: "Company; empty clears it.") var company: String?
        @Option(help: "Address; empty clears it.") var address: String?
        @Option(help: "Responsible employee's extension; empty clears it.") var responsible: String?
        @Option(help: "Replace the phones with these (repeatable).") var phone: [String] = []
        func run() async throws {
            try await options.run {
                try $0.updateContact(id: id, ContactFields(name: name, company: company, address: address,
                                                           responsibleExtension: responsible),
                                     phones: phone.isEmpty ? nil : phone)
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a contact and its phones.")
        @OptionGroup var options: AdminOptions
        @Argument(help: "The contact's id.") var id: Int64
        func run() async throws {
            try await options.run("removed contact \(id)") { try $0.removeContact(id: id); return nil }
        }
    }
}
