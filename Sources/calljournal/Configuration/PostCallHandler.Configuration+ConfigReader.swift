import AGIHandlers

extension PostCallHandler.Configuration {
    /// Reads `agi.postcall.*` over these settings.
    mutating func read(_ keys: inout ConfigurationKeys) {
        valueMaxDigits = keys.int("agi.postcall.max_value_digits", 1 ... 18) ?? valueMaxDigits
        categoryRetries = keys.int("agi.postcall.category_retries", 0 ... 5) ?? categoryRetries
        digitTimeout = keys.milliseconds("agi.postcall.digit_timeout_ms", 500 ... 60_000) ?? digitTimeout
    }
}
