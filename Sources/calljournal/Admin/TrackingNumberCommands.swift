import ArgumentParser
import Persistence

/// `calljournal tracking-number …`
struct TrackingNumberCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tracking-number",
        abstract: "Add, list, update and remove tracking numbers (DID → source, medium, campaign).",
        subcommands: [List.self, Add.self, Update.self, Remove.self]
    )

    struct Labels: ParsableArguments {
        @Option(help: "Traffic source, e.g. google.") var source: String?
        @Option(help: "Medium, e.g. cpc.") var medium: String?
        @Option(help: "Campaign.") var campaign: String?
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tracking numbers.")
        @OptionGroup var options: AdminOptions
        func run() async throws { try await options.run { try $0.listTrackingNumbers() } }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a tracking number.",
            discussion: "Example: calljournal tracking-number add 5551000 --source google --medium cpc --campaign spring"
        )
        @OptionGroup var options: AdminOptions
        @Argument(help: "The DID as the inbound dialplan sees it.") var did: String
        @OptionGroup var labels: Labels
        func run() async throws {
            try await options.run {
                try $0.addTrackingNumber(did: did, source: labels.source, medium: labels.medium, campaign: labels.campaign)
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change the labels of a tracking number; empty clears one.")
        @OptionGroup var options: AdminOptions
        @Argument(help: "The DID.") var did: String
        @OptionGroup var labels: Labels
        func run() async throws {
            try await options.run {
                try $0.updateTrackingNumber(did: did, source: labels.source, medium: labels.medium, campaign: labels.campaign)
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a tracking number.",
            discussion: "Calls already journaled keep the labels they were given."
        )
        @OptionGroup var options: AdminOptions
        @Argument(help: "The DID.") var did: String
        func run() async throws {
            try await options.run("removed tracking number \(did)") { try $0.removeTrackingNumber(did: did); return nil }
        }
    }
}
