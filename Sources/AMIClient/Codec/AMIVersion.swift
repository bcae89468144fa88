/// What the AMI version in the banner (`Asterisk Call Manager/11.0.0`) says about the server.
///
/// The version is `AMI_VERSION` from Asterisk's `include/asterisk/manager.h`: 1.1–1.3 for Asterisk 1.8–11,
/// 2.0.0–2.5.0 for 12, 2.5.0–2.10.6 for 13, 5.x for 16 and then the Asterisk major version minus 11 (22 → 11.0.0).
/// The standard channel fields gained `Linkedid` in AMI 2.8.0 (Asterisk 13.5); before that no channel event says
/// which call a channel belongs to.
public enum AMIVersion {
    /// Whether events of this AMI version carry `Linkedid`. An unparsable version is given the benefit of the doubt.
    public static func carriesLinkedid(_ version: String) -> Bool {
        guard let (major, minor) = parse(version) else { return true }
        return major > 2 || (major == 2 && minor >= 8)
    }

    /// The Asterisk releases an AMI version belongs to, for error messages.
    public static func describe(_ version: String) -> String {
        guard let (major, minor) = parse(version) else { return "an unknown AMI version" }
        switch (major, minor) {
        case (1, _): return "AMI 1.x: Asterisk 11 or older"
        case (2, ..<5): return "AMI \(major).\(minor): Asterisk 12"
        case (2, ..<8): return "AMI \(major).\(minor): Asterisk 12.5 or 13.0 to 13.4"
        default: return "AMI \(major).\(minor)"
        }
    }

    private static func parse(_ version: String) -> (Int, Int)? {
        let parts = version.split(separator: ".")
        guard parts.count >= 2, let major = Int(parts[0]), let minor = Int(parts[1]) else { return nil }
        return (major, minor)
    }
}
