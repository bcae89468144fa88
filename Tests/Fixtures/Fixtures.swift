public import Foundation

/// Recorded Asterisk 22 traffic bundled with the tests (see `asterisk-traces/README.md`).
public enum Fixtures {
    /// Every scenario folder, `S1-…` to `S13-…`, in numeric order.
    ///
    /// Parameterised tests take their cases from here, so a folder that cannot be read or holds no scenario stops
    /// the run instead of leaving those tests with no case to fail.
    public static let scenarios: [String] = {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: tracesDirectory.path)
        } catch {
            fatalError("test fixtures unreadable: cannot list \(tracesDirectory.path): \(error)")
        }
        let scenarios = names.filter { $0.hasPrefix("S") }.sorted { number($0) < number($1) }
        guard !scenarios.isEmpty else { fatalError("test fixtures missing: no scenario folder (S…) in \(tracesDirectory.path)") }
        return scenarios
    }()

    /// The folder holding the scenario folders.
    public static var tracesDirectory: URL {
        guard let url = Bundle.module.url(forResource: "asterisk-traces", withExtension: nil) else {
            fatalError("test fixtures missing: asterisk-traces is not in the TestFixtures bundle")
        }
        return url
    }

    /// The folder of one scenario, by its full name or its prefix (`"S8"`).
    public static func scenario(_ name: String) -> URL {
        let match = scenarios.first { $0 == name || $0.hasPrefix(name + "-") }
        guard let folder = match else { fatalError("no recorded scenario named \(name)") }
        return tracesDirectory.appendingPathComponent(folder)
    }

    /// The bytes of one file of a scenario, e.g. `data("S1", "ami.raw")`.
    public static func data(_ scenario: String, _ file: String) throws -> [UInt8] {
        let url = self.scenario(scenario).appendingPathComponent(file)
        return [UInt8](try Data(contentsOf: url))
    }

    /// The files of a scenario whose names match a predicate, sorted by name. Throws when the folder cannot be read.
    public static func files(_ scenario: String, where predicate: (String) -> Bool) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: self.scenario(scenario).path).filter(predicate).sorted()
    }

    private static func number(_ name: String) -> Int {
        Int(name.dropFirst().prefix { $0.isNumber }) ?? Int.max
    }
}
