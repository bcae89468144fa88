/// One line of a recorded FastAGI log (`agi-NN-<script>.log`): `+0.425 A> 200 result=0 endpos=3404` is Asterisk
/// writing to the server, `+0.425 S> GET DATA vm-press 8000 1` the server writing to Asterisk. The environment is
/// logged line by line too, up to its blank line (`A> ` and nothing after it).
public enum AGILogLine: Sendable, Equatable {
    case asterisk(String)
    case server(String)

    /// The lines of a whole log, in order; rows without a direction marker are passed over.
    public static func parse(_ log: String) -> [AGILogLine] {
        log.split(separator: "\n", omittingEmptySubsequences: false).compactMap { row in
            guard let marker = row.firstIndex(of: ">"), marker > row.startIndex else { return nil }
            var content = row[row.index(after: marker)...]
            if content.first == " " { content = content.dropFirst() }
            switch row[row.index(before: marker)] {
            case "A": return .asterisk(String(content))
            case "S": return .server(String(content))
            default: return nil
            }
        }
    }
}

extension Array where Element == AGILogLine {
    /// What Asterisk answered to each `GET DATA`, in order: the digits typed (`"2"`, `"500"`), or `"-1"` where the
    /// channel hung up.
    public var getDataAnswers: [String] {
        var answers: [String] = []
        var awaitingGetData = false
        for line in self {
            switch line {
            case .server(let command): awaitingGetData = command.hasPrefix("GET DATA")
            case .asterisk(let text) where awaitingGetData && text.hasPrefix("200 result="):
                answers.append(String(text.dropFirst("200 result=".count).prefix { $0 != " " }))
                awaitingGetData = false
            case .asterisk: break
            }
        }
        return answers
    }
}
