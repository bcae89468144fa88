import Foundation
import Testing

/// Runs the built `calljournal` executable as an operator would, capturing its output.
struct CommandRunner {
    struct Result {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// The `calljournal` binary built beside the test bundle.
    static var executable: URL {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        // On Linux the test runner is `<build>/calljournalPackageTests.xctest`; on macOS a bundle inside `<build>`.
        while !FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("calljournal").path),
              directory.path != "/" {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("calljournal")
    }

    var environment: [String: String] = ProcessInfo.processInfo.environment

    /// Runs `calljournal arguments…` and waits for it.
    func run(_ arguments: [String]) throws -> Result {
        try Self.execute(Self.executable, arguments, environment: environment)
    }

    /// Runs a program to completion, capturing both outputs.
    static func execute(_ executable: URL, _ arguments: [String],
                        environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Read both pipes to the end before waiting, so a chatty command never blocks on a full pipe.
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      standardOutput: String(decoding: outputData, as: UTF8.self),
                      standardError: String(decoding: errorData, as: UTF8.self))
    }
}
