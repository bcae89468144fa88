import ArgumentParser
import Foundation
import Persistence

/// `calljournal category …`
struct CategoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "category",
        abstract: "Add, list, update and remove call categories (the codes agents key in after a call).",
        subcommands: [List.self, Add.self, Update.self, Remove.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List categories by code.")
        @OptionGroup var options: AdminOptions
        func run() async throws { try await options.run { try $0.listCategories() } }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a category.",
            discussion: "Example: calljournal category add 2 'Sale' --value 1500"
        )
        @OptionGroup var options: AdminOptions
        @Argument(help: "The code agents key in (0-999999, unique).") var code: Int
        @Argument(help: "The category's name.") var name: String
        @Option(help: "Default value of a call in this category.") var value: DecimalArgument?
        func run() async throws { try await options.run { try $0.addCategory(code: code, name: name, value: value?.value) } }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a category; options not given stay as they are.")
        @OptionGroup var options: AdminOptions
        @Argument(help: "The category's current code.") var code: Int
        @Option(help: "New code.") var newCode: Int?
        @Option(help: "New name.") var name: String?
        @Option(help: "New default value.") var value: DecimalArgument?
        @Flag(help: "Remove the default value.") var noValue = false
        @Flag(inversion: .prefixedNo, help: "Whether agents may key the category in.") var active: Bool?
        func run() async throws {
            try await options.run {
                try $0.updateCategory(code: code, newCode: newCode, name: name, value: value?.value, clearValue: noValue,
                                      isActive: active)
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a category that no call uses.",
            discussion: "A category set on calls cannot be removed; use `category update CODE --no-active` instead."
        )
        @OptionGroup var options: AdminOptions
        @Argument(help: "The category's code.") var code: Int
        func run() async throws {
            try await options.run("removed category \(code)") { try $0.removeCategory(code: code); return nil }
        }
    }
}

/// A decimal amount on the command line (`1500`, `99.90`), read independently of the locale.
struct DecimalArgument: ExpressibleByArgument, Sendable {
    var value: Decimal
    init?(argument: String) {
        guard argument.wholeMatch(of: /-?[0-9]{1,12}(\.[0-9]{1,2})?/) != nil,
              let value = Decimal(string: argument, locale: Locale(identifier: "en_US_POSIX"))
        else { return nil }
        self.value = value
    }
}
