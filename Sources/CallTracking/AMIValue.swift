import Foundation

/// Small parsers for AMI field values.
enum AMIValue {
    /// A `Timestamp` header (`1795358807.860246`, seconds since the epoch with microseconds) as a date.
    static func date(fromTimestamp text: String?) -> Date? {
        guard let text, let seconds = Double(text) else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    /// A `CoreShowChannel` `Duration` (`HH:MM:SS`) in seconds.
    static func seconds(fromDuration text: String?) -> Double? {
        guard let text else { return nil }
        var total = 0.0
        for part in text.split(separator: ":") {
            guard let value = Double(part) else { return nil }
            total = total * 60 + value
        }
        return total
    }

    /// The value, or nil when Asterisk had nothing to say: empty, or its placeholder `<unknown>`.
    static func meaningful(_ text: String?) -> String? {
        guard let text, !text.isEmpty, text != "<unknown>" else { return nil }
        return text
    }

    /// The older of two Linkedids. Asterisk gives every channel in a bridge the Linkedid of the oldest channel, and
    /// a Uniqueid is `[systemname-]<epoch>.<counter>`, so older means a smaller epoch, then a smaller counter.
    static func older(_ first: String, _ second: String) -> String {
        guard let a = uniqueidOrder(first), let b = uniqueidOrder(second) else { return min(first, second) }
        return a <= b ? first : second
    }

    private static func uniqueidOrder(_ uniqueid: String) -> (Int, Int)? {
        let tail = uniqueid.split(separator: "-").last ?? Substring(uniqueid)
        let parts = tail.split(separator: ".")
        guard parts.count == 2, let epoch = Int(parts[0]), let counter = Int(parts[1]) else { return nil }
        return (epoch, counter)
    }
}
