import AMIClient

extension AMIClientConfiguration {
    /// Reads `ami.<name>.*` (`prefix` is `ami.<name>.`) over these settings; the secret and the trunks are the
    /// daemon's (``DaemonConfiguration/AMIServer``).
    mutating func read(_ keys: inout ConfigurationKeys, prefix: String) {
        host = keys.string(prefix + "host") ?? host
        port = keys.int(prefix + "port", 1 ... 65_535) ?? port
        username = keys.string(prefix + "username") ?? username
        if let method = keys.string(prefix + "authentication") {
            switch method {
            case "md5": useMD5Challenge = true
            case "plain": useMD5Challenge = false
            default: keys.problems.append("\(prefix)authentication: '\(method)' must be md5 or plain")
            }
        }
        eventMask = keys.string(prefix + "events") ?? eventMask
        connectTimeout = keys.milliseconds(prefix + "connect_timeout_ms", 100 ... 120_000) ?? connectTimeout
        actionTimeout = keys.milliseconds(prefix + "action_timeout_ms", 100 ... 300_000) ?? actionTimeout
        pingInterval = keys.milliseconds(prefix + "keepalive_interval_ms", 1_000 ... 600_000) ?? pingInterval
        if let maximum = keys.milliseconds(prefix + "reconnect_max_ms", 1_000 ... 3_600_000) {
            reconnect = Backoff(initial: reconnect.initial, maximum: maximum, jitter: reconnect.jitter)
        }
    }
}
