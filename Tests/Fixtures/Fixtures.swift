public import Foundation

/// Recorded Asterisk 22 traffic bundled with the tests (see `asterisk-traces/README.md`).
public enum Fixtures {
    /// Every scenario folder, `S1-…` to `S13-…`, in numeric order.
    public static let scenarios: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: tracesDirectory.path)) ?? []
        return names.filter { $0.hasPrefix("S") }.sorted { number($0) < number($1) }
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

    /// The files of a scenario whose names match a predicate, sorted by name.
    public static func files(_ scenario: String, where predicate: (String) -> Bool) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: self.scenario(scenario).path)) ?? []
        return names.filter(predicate).sorted()
    }

    private static func number(_ name: String) -> Int {
        Int(name.dropFirst().prefix { $0.isNumber }) ?? Int.max
    }
}
