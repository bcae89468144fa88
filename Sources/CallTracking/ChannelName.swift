/// What the tracker reads out of channel names and dial strings.
enum ChannelName {
    /// The endpoint (SIP account) of a channel: `PJSIP/101-00000001` → `101`, `PJSIP/my-trunk-0000000d` →
    /// `my-trunk`. Channels that are not a device — `Local/…`, `Message/…`, names without a technology — have none.
    ///
    /// The endpoint, not `CallerIDNum`, identifies the employee: on outbound calls the dialplan replaces the caller
    /// ID of the employee's channel with the company number (trace S7).
    ///
    /// DAHDI names a channel by its number (`DAHDI/1-1`: channel 1, first call on it) or, for calls placed on an
    /// ISDN span, by the span and number dialled (`DAHDI/i1/79161234567-3`): the endpoint is `1` or `i1`
    /// (chan_dahdi's `dahdi_new`).
    static func endpoint(of channel: String) -> String? {
        guard let slash = channel.firstIndex(of: "/") else { return nil }
        let technology = channel[..<slash]
        guard technology != "Local", technology != "Message", technology != "Announcer" else { return nil }
        var resource = channel[channel.index(after: slash)...]
        if technology == "DAHDI", let inner = resource.firstIndex(of: "/") { return String(resource[..<inner]) }
        if let masquerade = resource.firstIndex(of: "<") { resource = resource[..<masquerade] }
        guard let dash = resource.lastIndex(of: "-"), dash != resource.startIndex else {
            return resource.isEmpty ? nil : String(resource)
        }
        return String(resource[..<dash])
    }

    /// The channel technology: `PJSIP/101-00000001` → `PJSIP`.
    static func technology(of channel: String) -> Substring {
        channel.firstIndex(of: "/").map { channel[..<$0] } ?? ""
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
