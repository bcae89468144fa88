import ArgumentParser
import Foundation
import Persistence

/// `calljournal annotate CALL …`: categories, value, comment and ratings from the command line.
struct AnnotateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotate",
        abstract: "Set categories, value, comment and ratings on a call.",
        discussion: """
            The call is given by its journal id (calls.id, the first column of `export calls`). The same rules as \
            the post-call menu apply: categories must exist and be active, the value is a non-negative amount, \
            ratings are 1 to 5. Marks are recorded with via = cli and the --by name (default: $USER).
            Example: calljournal annotate 1042 --category 2 --value 1500 --comment 'wants a callback on Monday'
            """
    )

    @OptionGroup var options: AdminOptions
    @Argument(help: "The call's journal id.") var callID: Int64
    @Option(help: "A category code to set (repeatable).") var category: [Int] = []
    @Flag(help: "Replace the call's categories with the ones given (none given: clear them).") var replaceCategories = false
    @Option(help: "The call's value.") var value: DecimalArgument?
    @Option(help: "A comment; an empty string clears it.") var comment: String?
    @Option(help: "Rating of the call, 1 to 5.") var callRating: Int?
    @Option(help: "Rating of the employee's work, 1 to 5.") var employeeRating: Int?
    @Option(help: "Who is annotating (recorded with each category).") var by: String = ProcessInfo.processInfo.environment["USER"] ?? "cli"

    func run() async throws {
        try await options.run { admin in
            try CallAnnotations(connection: admin.connection).annotate(
                callID: callID, categoryCodes: category, replaceCategories: replaceCategories, value: value?.value,
                comment: comment, callRating: callRating, employeeRating: employeeRating, setBy: by)
        }
    }
}
