import Foundation

/// One recorded event, kept as text fields so copies of it can be given fresh ids and times.
struct TemplateEvent {
    var fields: [(key: String, value: String)]
    /// Seconds after the start of its trace's first call.
    var offset: Double
    /// Indices of the fields to rewrite per copy.
    var timestampField: Int
    var idFields: [Int]
}

/// The recorded traces as templates for generated load.
enum TraceTemplate {
    /// Reads one `ami.raw` (empty-line framed `Key: value` messages) and keeps the events that carry a `Timestamp`,
    /// with times made relative to the trace's first `Newchannel`.
    static func events(fromTrace bytes: [UInt8]) -> [TemplateEvent] {
        var messages: [[(key: String, value: String)]] = []
        var current: [(key: String, value: String)] = []
        for rawLine in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            let line = rawLine.last == UInt8(ascii: "\r") ? rawLine.dropLast() : rawLine
            guard !line.isEmpty else {
                if !current.isEmpty { messages.append(current) }
                current = []
                continue
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
            var value = line[(colon + 1)...]
            if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
            current.append((String(decoding: line[..<colon], as: UTF8.self), String(decoding: value, as: UTF8.self)))
        }
        if !current.isEmpty { messages.append(current) }

        let timed = messages.compactMap { fields -> (fields: [(key: String, value: String)], time: Double, index: Int)? in
            guard let index = fields.firstIndex(where: { $0.key == "Timestamp" }),
                  let time = Double(fields[index].value) else { return nil }
            return (fields, time, index)
        }
        let origin = timed.first { $0.fields.first?.value == "Newchannel" }?.time ?? timed.first?.time ?? 0
        return timed.filter { $0.time >= origin - 1 }.map { event in
            let ids = event.fields.indices.filter {
                let key = event.fields[$0].key.lowercased()
                return key.hasSuffix("uniqueid") || key.hasSuffix("linkedid")
            }
            return TemplateEvent(fields: event.fields, offset: event.time - origin, timestampField: event.index, idFields: ids)
        }
    }
}
