import AMIClient
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
    /// Reads one `ami.raw` and keeps the events that carry a `Timestamp`,
    /// with times made relative to the trace's first `Newchannel`.
    static func events(fromTrace bytes: [UInt8]) -> [TemplateEvent] {
        // The product's decoder, as the daemon reads a live stream.
        let messages = AMIRecording(bytes: bytes).events.map(\.fields)

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
