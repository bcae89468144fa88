import AMIModel
import Foundation

/// Builds the `CoreShowChannel` events Asterisk would list at a moment of a recorded trace: one per channel that
/// exists then, with its latest state, its bridge and its age, as `CoreShowChannels` reports them after a reconnect.
enum CoreShowChannels {
    private static let snapshotKeys = [
        "Channel", "ChannelState", "ChannelStateDesc", "CallerIDNum", "CallerIDName", "ConnectedLineNum",
        "ConnectedLineName", "Language", "AccountCode", "Context", "Exten", "Priority", "Uniqueid", "Linkedid",
    ]

    static func live(in events: [AMIMessage], at moment: Date) -> [AMIMessage] {
        var order: [String] = []
        var latest: [String: AMIMessage] = [:]
        var created: [String: Date] = [:]
        var bridges: [String: String] = [:]
        for event in events {
            guard let time = event.timestamp, time <= moment, event["Event"] != "CEL",
                  let uniqueid = event["Uniqueid"], event["Channel"] != nil else { continue }
            switch event.eventName {
            case "Hangup":
                latest[uniqueid] = nil
                order.removeAll { $0 == uniqueid }
                continue
            case "BridgeEnter": bridges[uniqueid] = event["BridgeUniqueid"]
            case "BridgeLeave": bridges[uniqueid] = nil
            default: break
            }
            if latest[uniqueid] == nil { order.append(uniqueid) }
            if created[uniqueid] == nil { created[uniqueid] = time }
            latest[uniqueid] = event
        }
        return order.compactMap { uniqueid in
            guard let snapshot = latest[uniqueid], let start = created[uniqueid] else { return nil }
            var fields: [(key: String, value: String)] = [("Event", "CoreShowChannel"), ("ActionID", "reconcile")]
            for key in snapshotKeys { fields.append((key, snapshot[key] ?? "")) }
            let age = Int(moment.timeIntervalSince(start))
            fields.append(("Application", "Dial"))
            fields.append(("Duration", String(format: "%02d:%02d:%02d", age / 3600, age / 60 % 60, age % 60)))
            fields.append(("BridgeId", bridges[uniqueid] ?? ""))
            return AMIMessage(fields)
        }
    }
}
