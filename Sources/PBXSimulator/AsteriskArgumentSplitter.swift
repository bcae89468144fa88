/// Splits a command line into arguments the way Asterisk's `parse_args()` (res/res_agi.c) does:
/// spaces and tabs separate words outside double quotes, `"` toggles quoting, and a backslash
/// makes the next character literal. Used to check what Asterisk would make of our bytes.
public enum AsteriskArgumentSplitter {
    public static func split(_ line: String) -> [String] {
        var arguments: [String] = []
        var current: [Character] = []
        var inWord = false
        var quoted = false
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                inWord = true
                escaped = false
                continue
            }
            switch character {
            case "\\":
                escaped = true
            case "\"":
                quoted.toggle()
                if quoted, !inWord { inWord = true }
            case " ", "\t":
                if quoted {
                    current.append(character)
                } else {
                    if inWord { arguments.append(String(current)) }
                    current = []
                    inWord = false
                }
            default:
                current.append(character)
                inWord = true
            }
        }
        if inWord { arguments.append(String(current)) }
        return arguments
    }
}
