/// The Asterisk channel behind a simulated FastAGI session: how it answers each command,
/// following `res_agi.c` and the recorded traces.
public struct SimulatedChannel: Sendable {
    /// When the channel goes away, as recorded.
    public enum Death: Sendable, Equatable {
        /// Never during the session.
        case never
        /// Gone before the first response: `HANGUP`, then `511` to channel commands (S9 postcall).
        case atStart
        /// The first channel command fails with `result=-1` (`STREAM FILE`: `200 result=-1 endpos=320`),
        /// then `HANGUP` comes before the next response (S8 postcall).
        case atFirstChannelCommand
    }

    /// Channel variables and functions, e.g. `CHANNEL(linkedid)`, `BLINDTRANSFER`.
    public var variables: [String: String]
    /// Answers to `GET DATA` in order; `"-1"` hangs up there (S13). When none are left the
    /// command times out with no digits.
    public var digits: [String]
    public var death: Death
    /// Sound files Asterisk cannot open (not installed): `STREAM FILE` answers `200 result=-1 endpos=0` and
    /// `GET DATA` `200 result=-1`, as for a hangup, but the channel lives on and no `HANGUP` follows.
    public var missingSounds: Set<String> = []

    public private(set) var isDead = false
    public private(set) var played: [String] = []
    private var hangupNoticePending = false

    public init(variables: [String: String] = [:], digits: [String] = [], death: Death = .never) {
        self.variables = variables
        self.digits = digits
        self.death = death
    }

    /// The lines Asterisk writes after receiving `line`.
    public mutating func respond(to line: String) -> [String] {
        var output: [String] = []
        // Asterisk notices the hangup between commands and says so before its next response (S8, S13).
        if hangupNoticePending {
            output.append("HANGUP")
            hangupNoticePending = false
        }
        if death == .atStart, !isDead {
            isDead = true
            output.append("HANGUP")
        }
        let arguments = AsteriskArgumentSplitter.split(line)
        let words = arguments.prefix(3).map { $0.uppercased() }
        if words.starts(with: ["SET", "VARIABLE"]) {
            guard arguments.count == 4 else { return output + Self.usage }
            variables[arguments[2]] = arguments[3]
            output.append("200 result=1")
        } else if words.starts(with: ["GET", "FULL", "VARIABLE"]) {
            guard arguments.count == 4 else { return output + Self.usage }
            output.append("200 result=1 (\(evaluate(arguments[3])))")
        } else if words.starts(with: ["GET", "VARIABLE"]) {
            guard arguments.count == 3 else { return output + Self.usage }
            output.append(variables[arguments[2]].map { "200 result=1 (\($0))" } ?? "200 result=0")
        } else if words.starts(with: ["VERBOSE"]) {
            output.append("200 result=1")
        } else if words.starts(with: ["ANSWER"]) || words.starts(with: ["STREAM", "FILE"])
            || words.starts(with: ["GET", "DATA"])
        {
            output.append(isDead ? "511 Command Not Permitted on a dead channel or intercept routine" : live(words, arguments))
        } else {
            output.append("510 Invalid or unknown command")
        }
        return output
    }

    private mutating func live(_ words: [String], _ arguments: [String]) -> String {
        let isStreamFile = words.starts(with: ["STREAM", "FILE"])
        if arguments.count > 2, missingSounds.contains(arguments[2]) { return isStreamFile ? "200 result=-1 endpos=0" : "200 result=-1" }
        if death == .atFirstChannelCommand { return dieDuringCommand(isStreamFile ? "200 result=-1 endpos=320" : "200 result=-1") }
        if words.starts(with: ["ANSWER"]) { return "200 result=0" }
        if isStreamFile {
            played.append(arguments[2])
            return "200 result=0 endpos=3404"
        }
        played.append(arguments[2])
        let answer = digits.isEmpty ? nil : digits.removeFirst()
        switch answer {
        case "-1": return dieDuringCommand("200 result=-1")
        case nil, "": return "200 result= (timeout)"
        case let typed?: return "200 result=\(typed)"
        }
    }

    private mutating func dieDuringCommand(_ response: String) -> String {
        isDead = true
        hangupNoticePending = true
        return response
    }

    /// `${NAME}` substitution, enough for the expressions the handlers use.
    private func evaluate(_ expression: String) -> String {
        var result = ""
        var rest = expression[...]
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
            result += variables[String(rest[start.upperBound..<end])] ?? ""
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    private static let usage = [
        "520-Invalid command syntax.  Proper usage follows:", " Usage: see 'agi show commands'", "520 End of proper usage.",
    ]
}
