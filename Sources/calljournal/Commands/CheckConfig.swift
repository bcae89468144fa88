import ArgumentParser
import Foundation

/// `calljournal check-config`: validates the configuration and lists every problem at once.
struct CheckConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration file and environment; print every problem.",
        discussion: "Exits 0 when the configuration is usable, 78 (EX_CONFIG) otherwise. Secrets are never printed."
    )

    @Option(name: .long, help: ArgumentHelp("The YAML configuration file.", valueName: "path"))
    var config: String = ConfigurationLoader.defaultPath

    func run() async throws {
        let loader = ConfigurationLoader(path: config, fileRequired: true)
        let (configuration, problems) = await loader.load()
        if problems.isEmpty {
            print("configuration OK (\(configuration.sources.joined(separator: ", ")))")
            print(configuration.description)
            return
        }
        var standardError = FileHandleOutputStream.standardError
        print(ConfigurationProblems(problems: problems).description, to: &standardError)
        throw ExitCode(78)
    }
}

/// `print(…, to:)` target for standard error.
struct FileHandleOutputStream: TextOutputStream {
    let handle: FileHandle
    static var standardError: FileHandleOutputStream { FileHandleOutputStream(handle: .standardError) }
    mutating func write(_ string: String) { handle.write(Data(string.utf8)) }
}
