/// What the tracker reads out of channel names and dial strings.
enum ChannelName {
    /// The endpoint (SIP account) of a channel: `PJSIP/101-00000001` → `101`, `PJSIP/my-trunk-0000000d` →
    /// `my-trunk`. Channels that are not a device — `Local/…`, `Message/…`, names without a technology — have none.
    ///
    /// The endpoint, not `CallerIDNum`, identifies the employee: on outbound calls the dialplan replaces the caller
    /// ID of the employee's channel with the company number (trace S7).
    static func endpoint(of channel: String) -> String? {
        guard let slash = channel.firstIndex(of: "/") else { return nil }
        let technology = channel[..<slash]
        guard technology != "Local", technology != "Message", technology != "Announcer" else { return nil }
        let resource = channel[channel.index(after: slash)...]
        guard let dash = resource.lastIndex(of: "-"), dash != resource.startIndex else {
            return resource.isEmpty ? nil : String(resource)
        }
        return String(resource[..<dash])
    }

    /// The number a `DialBegin` `DialString` dials through a trunk: `74951112233@trunk` → `74951112233`,
    /// `trunk/sip:74951112233@host` → `74951112233`, `PJSIP/101` → `101`.
    static func dialedNumber(fromDialString dialString: String) -> String? {
        var text = Substring(dialString)
        if let slash = text.lastIndex(of: "/") { text = text[text.index(after: slash)...] }
        if text.hasPrefix("sip:") { text = text.dropFirst(4) } else if text.hasPrefix("sips:") { text = text.dropFirst(5) }
        if let at = text.firstIndex(of: "@") { text = text[..<at] }
        return text.isEmpty ? nil : String(text)
    }
}
