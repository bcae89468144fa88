import AGIHandlers

extension AGIServerConfiguration {
    /// Reads `agi.listen`, `agi.allow`, `agi.max_sessions` and `agi.request_deadline_ms` over these settings.
    mutating func read(_ keys: inout ConfigurationKeys) {
        if let listen = keys.string("agi.listen"), let (host, port) = keys.hostPort(listen, key: "agi.listen") {
            self.host = host
            self.port = port
        }
        if let allow = keys.array("agi.allow") {
            allowedClients = allow.compactMap { entry in
                guard let range = AGIAddressRange(entry) else {
                    keys.problems.append("agi.allow: '\(entry)' is not an IPv4/IPv6 address or CIDR (e.g. 10.0.0.0/8)")
                    return nil
                }
                return range
            }
        }
        maximumSessions = keys.int("agi.max_sessions", 1 ... 100_000) ?? maximumSessions
        sessionDeadline = keys.milliseconds("agi.request_deadline_ms", 100 ... 3_600_000) ?? sessionDeadline
    }
}
