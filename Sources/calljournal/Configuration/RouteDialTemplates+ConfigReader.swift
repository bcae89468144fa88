import AGIHandlers

extension RouteDialTemplates {
    /// Reads `agi.dial.sip` and `agi.dial.phone` over these templates.
    mutating func read(_ keys: inout ConfigurationKeys) {
        sipTemplate = keys.template("agi.dial.sip", placeholder: "{account}") ?? sipTemplate
        phoneTemplate = keys.template("agi.dial.phone", placeholder: "{number}") ?? phoneTemplate
    }
}
