public import ArgumentParser
public import Persistence

extension EndpointKind: ExpressibleByArgument {}

/// `calljournal endpoint …`
struct EndpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "endpoint",
        abstract: "Add, list and remove employees' SIP accounts and phone numbers.",
        subcommands: [List.self, Add.self, Remove.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List endpoints, of one employee or all.")
        @OptionGroup var options: AdminOptions
        @Option(name: .customLong("extension"), help: "Only this employee's endpoints.") var extensionNumber: String?
        func run() async throws { try await options.run { try $0.listEndpoints(extension: extensionNumber) } }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give an employee a SIP account or phone number.",
            discussion: "Example: calljournal endpoint add 101 sip alice-desk"
        )
        @OptionGroup var options: AdminOptions
        @Argument(help: "The employee's extension.") var extensionNumber: String
        @Argument(help: "sip or phone.") var kind: EndpointKind
        @Argument(help: "The SIP endpoint name or phone number.") var address: String
        func run() async throws {
            try await options.run { try $0.addEndpoint(extension: extensionNumber, kind: kind, address: address) }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a SIP account or phone number.")
        @OptionGroup var options: AdminOptions
        @Argument(help: "sip or phone.") var kind: EndpointKind
        @Argument(help: "The SIP endpoint name or phone number.") var address: String
        func run() async throws {
            try await options.run("removed \(kind.rawValue) endpoint \(address)") {
                try $0.removeEndpoint(kind: kind, address: address)
                return nil
            }
        }
    }
}
