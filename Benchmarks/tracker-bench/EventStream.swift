import AMIModel
import Foundation

/// A long AMI stream built from the recorded calls.
///
/// Round `k` replays every template call, shifted `k × spacing` seconds later, with fresh ids: a Uniqueid or
/// Linkedid `E.S` becomes `E+k . S+64k` (still ordered by age, as Asterisk's are), a bridge id gets `-k`. Rounds
/// overlap, so about `calls per round × mean call length / spacing` calls are in progress at once.
///
/// The stream is produced window by window (`spacing` seconds each), sorted by time, so only one window of events
/// exists at a time and the measured memory is the tracker's.
struct EventStream {
    let templates: [TemplateEvent]
    let spacing: Double
    let rounds: Int
    /// The Linkedid of every recorded call, in order of appearance: generated call `(round, index)` is the call
    /// `recordedLinkedids[index]` of round `round`.
    let recordedLinkedids: [String]
    /// Template indices by the window (`offset / spacing`) they fall into within their round.
    private let buckets: [[Int]]
    private let base: Double
    private let recordedCallIndex: [String: Int]

    /// `calls` are the recorded calls the journal holds; other Linkedids of the templates (a phone that dialled a
    /// pickup code or a parking space, absorbed by the call it reached) are no call of their own.
    init(templates: [TemplateEvent], calls: Set<String>, spacing: Double, rounds: Int, base: Double) {
        self.templates = templates
        self.spacing = spacing
        self.rounds = rounds
        self.base = base
        var linkedids: [String] = []
        for template in templates {
            guard let linkedid = template.fields.first(where: { $0.key == "Linkedid" })?.value,
                  calls.contains(linkedid), !linkedids.contains(linkedid) else { continue }
            linkedids.append(linkedid)
        }
        recordedLinkedids = linkedids
        recordedCallIndex = Dictionary(uniqueKeysWithValues: linkedids.enumerated().map { ($1, $0) })
        var buckets: [[Int]] = []
        for (index, template) in templates.enumerated() {
            let bucket = max(0, Int(template.offset / spacing))
            while buckets.count <= bucket { buckets.append([]) }
            buckets[bucket].append(index)
        }
        self.buckets = buckets
    }

    var windowCount: Int { rounds + buckets.count - 1 }
    var eventCount: Int { templates.count * rounds }
    /// Every call the stream holds: each recorded call once per round.
    var callCount: Int { recordedLinkedids.count * rounds }

    /// The number (0 ..< `callCount`) of the generated call with this Linkedid, or nil for an id the stream never
    /// produces. The inverse of the fresh ids: round `k` adds `k` to the epoch and `64 k` to the counter.
    func callNumber(linkedid: String) -> Int? {
        let parts = linkedid.split(separator: ".")
        guard parts.count == 2, let epoch = Int(parts[0]), let counter = Int(parts[1]), counter >= 0 else { return nil }
        let round = counter / 64
        guard round < rounds, let call = recordedCallIndex["\(epoch - round).\(counter - 64 * round)"] else { return nil }
        return round * recordedLinkedids.count + call
    }

    /// The Linkedid of generated call `number`.
    func linkedid(ofCall number: Int) -> String {
        Self.freshID(recordedLinkedids[number % recordedLinkedids.count], round: number / recordedLinkedids.count)
    }

    /// The events of window `window`, in time order.
    func window(_ window: Int) -> [AMIMessage] {
        var picked: [(time: Double, round: Int, template: Int)] = []
        for (bucket, indices) in buckets.enumerated() {
            let round = window - bucket
            guard round >= 0, round < rounds else { continue }
            for index in indices {
                picked.append((templates[index].offset + Double(round) * spacing, round, index))
            }
        }
        picked.sort { ($0.time, $0.round, $0.template) < ($1.time, $1.round, $1.template) }
        return picked.map { message(template: $0.template, round: $0.round, time: $0.time) }
    }

    private func message(template index: Int, round: Int, time: Double) -> AMIMessage {
        let template = templates[index]
        var fields = template.fields
        fields[template.timestampField].value = String(format: "%.6f", base + time)
        for field in template.idFields {
            fields[field].value = Self.freshID(fields[field].value, round: round)
        }
        return AMIMessage(fields)
    }

    private static func freshID(_ id: String, round: Int) -> String {
        let parts = id.split(separator: ".")
        guard parts.count == 2, let epoch = Int(parts[0]), let counter = Int(parts[1]) else {
            return id.isEmpty ? id : "\(id)-\(round)"
        }
        return "\(epoch + round).\(counter + 64 * round)"
    }
}
