/// The script part of a FastAGI URL: `agi://127.0.0.1:4573/postcall?ask=category,value&lang=ru`
/// arrives as `agi_network_script: postcall?ask=category,value&lang=ru`.
///
/// ```
/// postcall ? ask = category,value & lang = ru
/// └─name─┘   └────── parameters (percent-decoded) ──────┘
/// ```
///
/// Leading and trailing `/` of the path are dropped, so `agi://host/route` and `agi://host/route/`
/// both name `route`. When a parameter appears twice the first one counts. Parameter values are
/// untrusted (the dialplan fills them from caller data such as `${CALLERID(num)}`): handlers
/// validate them before use.
public struct AGIScriptRequest: Sendable, Equatable {
    /// The script path, e.g. `route`.
    public var name: String
    /// Query parameters in the order they appeared, percent-decoded.
    public var parameters: [(name: String, value: String)]

    /// The most query parameters kept; the rest are ignored.
    public static let maximumParameterCount = 32

    public init(name: String, parameters: [(name: String, value: String)] = []) {
        self.name = name
        self.parameters = parameters
    }

    /// Parses the value of `agi_network_script` (or the part of `agi_request` after the host).
    public init(parsing script: String) {
        // Split on the UTF-8 bytes: every session's script goes through here.
        let bytes = script.utf8
        let question = bytes.firstIndex(of: UInt8(ascii: "?"))
        name = Self.percentDecoded(Substring(script[..<(question ?? script.endIndex)].trimmingSlashes()))
        parameters = []
        guard let question else { return }
        for pair in script[script.index(after: question)...].utf8.split(separator: UInt8(ascii: "&"))
        where parameters.count < Self.maximumParameterCount {
            let equals = pair.firstIndex(of: UInt8(ascii: "="))
            let key = Self.percentDecoded(Substring(pair[..<(equals ?? pair.endIndex)]))
            guard !key.isEmpty else { continue }
            let value = equals.map { Self.percentDecoded(Substring(pair[pair.index(after: $0)...])) } ?? ""
            parameters.append((key, value))
        }
    }

    /// The first value of a query parameter, or `nil` when it is absent.
    public subscript(parameter: String) -> String? {
        parameters.first { $0.name == parameter }?.value
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.name == rhs.name && lhs.parameters.elementsEqual(rhs.parameters) { $0 == $1 }
    }

    /// `%XX` escapes decoded as UTF-8 and `+` as a space; a malformed escape is kept literally.
    static func percentDecoded(_ text: Substring) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
            return String(text)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                if iterator.count >= 2, let high = hexValue(iterator[iterator.startIndex]),
                    let low = hexValue(iterator[iterator.startIndex + 1])
                {
                    bytes.append(high << 4 | low)
                    iterator = iterator.dropFirst(2)
                } else {
                    bytes.append(byte)
                }
            default:
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension Substring {
    fileprivate func trimmingSlashes() -> Substring {
        var view = self[...]
        while view.first == "/" { view = view.dropFirst() }
        while view.last == "/" { view = view.dropLast() }
        return view
    }
}
