/// The environment Asterisk sends at the start of every FastAGI session: one `agi_<name>: value`
/// line per variable, ending with an empty line (trace S1 `agi-01-route.asterisk.raw`).
///
/// Asterisk writes `unknown` for an absent caller ID, DNID or RDNIS, and an empty value for an
/// empty account code (`agi_accountcode: `); the typed accessors below return `nil` for both.
/// All values come from the PBX and, through caller ID, ultimately from the outside caller:
/// treat them as untrusted input.
public struct AGIEnvironment: Sendable, Equatable {
    /// Every variable by its full name (`agi_channel`), in arrival order.
    public private(set) var variables: [(name: String, value: String)]
    /// The script and its query parameters, from `agi_network_script` (or `agi_request`).
    public var request: AGIScriptRequest
    /// `agi_arg_1`, `agi_arg_2`, … in order (the dialplan's extra `AGI()` arguments).
    public var arguments: [String]

    /// Builds an environment from its variables; fails when no script can be found.
    public init(variables: [(name: String, value: String)]) throws(AGIProtocolError) {
        self.variables = variables
        // One pass over the variables (this runs for every session).
        var networkScript: String?
        var requestURL: String?
        var numberedArguments: [Int: String] = [:]
        for (name, value) in variables {
            switch name {
            case "agi_network_script": networkScript = networkScript ?? value
            case "agi_request": requestURL = requestURL ?? value
            default:
                guard name.utf8.starts(with: "agi_arg_".utf8) else { continue }
                let suffix = name.dropFirst(8)
                if let number = Int(suffix), number > 0, String(number) == suffix, numberedArguments[number] == nil {
                    numberedArguments[number] = value
                }
            }
        }
        if let networkScript {
            request = AGIScriptRequest(parsing: networkScript)
        } else if let requestURL, let script = Self.scriptPart(ofURL: requestURL) {
            request = AGIScriptRequest(parsing: script)
        } else {
            throw .missingScript
        }
        arguments = []
        while let argument = numberedArguments[arguments.count + 1] {
            arguments.append(argument)
        }
    }

    /// The value of a variable by its full name (`agi_channel`), or `nil` when absent.
    public subscript(name: String) -> String? {
        variables.first { $0.name == name }?.value
    }

    /// `agi_channel`, e.g. `PJSIP/101-00000001`.
    public var channel: String? { meaningful("agi_channel") }
    /// `agi_language`, e.g. `en`.
    public var language: String? { meaningful("agi_language") }
    /// `agi_uniqueid` of the channel running the script, e.g. `1795358807.1`.
    public var uniqueID: String? { meaningful("agi_uniqueid") }
    /// `agi_callerid`: the caller's number as the PBX shows it.
    public var callerID: String? { meaningful("agi_callerid") }
    /// `agi_calleridname`.
    public var callerIDName: String? { meaningful("agi_calleridname") }
    /// `agi_dnid`: the number originally dialled.
    public var dialedNumber: String? { meaningful("agi_dnid") }
    /// `agi_context`.
    public var context: String? { meaningful("agi_context") }
    /// `agi_extension`: the extension being executed (`s` in a subroutine such as `[postcall]`).
    public var `extension`: String? { meaningful("agi_extension") }

    private func meaningful(_ name: String) -> String? {
        guard let value = self[name], !value.isEmpty, value != "unknown" else { return nil }
        return value
    }

    /// `agi://host:port/script?query` -> `script?query`.
    private static func scriptPart(ofURL url: String) -> String? {
        let parts = url.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        // ["agi:", "", "host:port", "script?query"]
        guard parts.count == 4, parts[0].hasSuffix(":"), parts[1].isEmpty else { return nil }
        return String(parts[3])
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.variables.elementsEqual(rhs.variables) { $0 == $1 } && lhs.request == rhs.request
            && lhs.arguments == rhs.arguments
    }
}
