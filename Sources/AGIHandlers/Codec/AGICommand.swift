/// One command sent to Asterisk, e.g. `SET VARIABLE ROUTE_DIAL "PJSIP/101"`.
///
/// Free-text arguments are always sent in double quotes with `"` and `\` escaped by a backslash,
/// the way Asterisk's `parse_args()` in `res/res_agi.c` reads them back. A value containing CR,
/// LF or NUL is refused rather than sent: a line end would let a caller-controlled value (a
/// caller name, a query parameter) start a second command, and NUL would cut the line short.
/// Lines longer than Asterisk's 8 KiB command buffer (`AGI_BUF_LEN`) are refused for the same
/// reason: Asterisk would read the tail of the line as another command.
public struct AGICommand: Sendable, Equatable, CustomStringConvertible {
    /// One argument after the command words.
    public enum Argument: Sendable, Equatable {
        /// Free text, sent quoted and escaped.
        case text(String)
        /// A token already checked to hold only `[A-Za-z0-9_]` (a variable name), sent bare as
        /// Asterisk's own examples do: `SET VARIABLE ROUTE_DIAL "PJSIP/101"`.
        case name(String)
        /// A number, sent bare.
        case integer(Int)
    }

    /// The command words, e.g. `["SET", "VARIABLE"]`.
    public let words: [String]
    /// The arguments after the words.
    public let arguments: [Argument]
    /// Whether Asterisk runs this command on a hung-up channel (its `dead` flag in `res_agi.c`):
    /// `VERBOSE`, `GET/SET VARIABLE`, `GET FULL VARIABLE` do; `ANSWER`, `STREAM FILE`, `GET DATA` get
    /// `511 Command Not Permitted on a dead channel or intercept routine` instead (traces S8, S9).
    public let worksOnDeadChannel: Bool
    /// Whether the command plays media or waits for the caller, and so may take as long as a prompt.
    public let isInteractive: Bool

    /// The longest line Asterisk reads as one command, its `\n` included (`AGI_BUF_LEN - 1`).
    public static let maximumLineLength = 8191

    public init(words: [String], arguments: [Argument], worksOnDeadChannel: Bool, isInteractive: Bool = false) {
        self.words = words
        self.arguments = arguments
        self.worksOnDeadChannel = worksOnDeadChannel
        self.isInteractive = isInteractive
    }

    /// The command words, for logs and errors (arguments are left out: they may hold caller data).
    public var description: String { words.joined(separator: " ") }

    /// The bytes to send, `\n` included.
    public func encoded() throws(AGIProtocolError) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(64)
        for (index, word) in words.enumerated() {
            if index > 0 { line.append(UInt8(ascii: " ")) }
            line.append(contentsOf: word.utf8)
        }
        for argument in arguments {
            line.append(UInt8(ascii: " "))
            switch argument {
            case .integer(let number):
                line.append(contentsOf: String(number).utf8)
            case .name(let name):
                guard Self.isVariableName(name) else {
                    throw .unsafeCommandArgument(command: description, reason: "variable name is not [A-Za-z0-9_]+")
                }
                line.append(contentsOf: name.utf8)
            case .text(let text):
                line.append(UInt8(ascii: "\""))
                for byte in text.utf8 {
                    switch byte {
                    case UInt8(ascii: "\r"), UInt8(ascii: "\n"), 0:
                        throw .unsafeCommandArgument(command: description, reason: "an argument contains CR, LF or NUL")
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                        line.append(UInt8(ascii: "\\"))
                        line.append(byte)
                    default:
                        line.append(byte)
                    }
                }
                line.append(UInt8(ascii: "\""))
            }
        }
        line.append(UInt8(ascii: "\n"))
        if line.count > Self.maximumLineLength {
            throw .unsafeCommandArgument(
                command: description, reason: "the line is longer than Asterisk's \(Self.maximumLineLength)-byte command buffer")
        }
        return line
    }
}

extension AGICommand {
    /// `ANSWER`: answers the channel if it is not answered yet.
    public static let answer = AGICommand(words: ["ANSWER"], arguments: [], worksOnDeadChannel: false)

    /// `STREAM FILE <file> <escape digits>`: plays a sound file; a key in `escapeDigits` stops it.
    public static func streamFile(_ file: String, escapeDigits: String = "") -> AGICommand {
        AGICommand(
            words: ["STREAM", "FILE"], arguments: [.text(file), .text(escapeDigits)], worksOnDeadChannel: false,
            isInteractive: true)
    }

    /// `GET DATA <file> <timeout ms> <max digits>`: plays a prompt and collects DTMF until `#`,
    /// `maxDigits` digits, or `timeout` without a key.
    public static func getData(_ file: String, timeoutMilliseconds: Int, maxDigits: Int) -> AGICommand {
        AGICommand(
            words: ["GET", "DATA"], arguments: [.text(file), .integer(timeoutMilliseconds), .integer(maxDigits)],
            worksOnDeadChannel: false, isInteractive: true)
    }

    /// `SET VARIABLE <name> <value>`. The name must be a dialplan variable name
    /// (letters, digits, `_`, optionally the inheritance prefix `_` or `__`).
    public static func setVariable(_ name: String, _ value: String) throws(AGIProtocolError) -> AGICommand {
        try requireVariableName(name, command: "SET VARIABLE")
        return AGICommand(words: ["SET", "VARIABLE"], arguments: [.name(name), .text(value)], worksOnDeadChannel: true)
    }

    /// `GET VARIABLE <name>`: a channel variable or a dialplan function such as `CHANNEL(linkedid)`.
    public static func getVariable(_ name: String) -> AGICommand {
        AGICommand(words: ["GET", "VARIABLE"], arguments: [.text(name)], worksOnDeadChannel: true)
    }

    /// `GET FULL VARIABLE <expression>`: evaluates an expression such as `${CHANNEL(linkedid)}`.
    public static func getFullVariable(_ expression: String) -> AGICommand {
        AGICommand(words: ["GET", "FULL", "VARIABLE"], arguments: [.text(expression)], worksOnDeadChannel: true)
    }

    /// `VERBOSE <message> <level>`: writes to the Asterisk console and log.
    public static func verbose(_ message: String, level: Int = 1) -> AGICommand {
        AGICommand(words: ["VERBOSE"], arguments: [.text(message), .integer(level)], worksOnDeadChannel: true)
    }

    private static func requireVariableName(_ name: String, command: String) throws(AGIProtocolError) {
        if !isVariableName(name) {
            throw .unsafeCommandArgument(command: command, reason: "variable name is not [A-Za-z0-9_]+")
        }
    }

    static func isVariableName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 80
            && name.utf8.allSatisfy { byte in
                (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
            }
    }
}
