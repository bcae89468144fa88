import CallTracking

extension CallTrackerConfiguration {
    /// Reads `journal.target_min_talk_seconds`, `journal.callback_deadline_hours` and
    /// `journal.callback_for_unattended` over these settings.
    mutating func read(_ keys: inout ConfigurationKeys) {
        targetMinTalkSeconds = keys.double("journal.target_min_talk_seconds", 0 ... 86_400) ?? targetMinTalkSeconds
        if let hours = keys.double("journal.callback_deadline_hours", 0.01 ... 8_760) {
            callbackDeadlineSeconds = hours * 3600
        }
        callbackForUnattended = keys.bool("journal.callback_for_unattended") ?? callbackForUnattended
    }
}
