/// How `ROUTE_DIAL` is built from an employee's endpoints: one template per kind, the
/// results joined with `&` so that all of them ring together.
///
/// `{account}` is replaced by a SIP account, `{number}` by a phone number (digits, with a
/// leading `+` kept when stored so). An employee with accounts `sasha123` and number
/// `0501234567` gives `PJSIP/sasha123&PJSIP/0501234567@trunk` with the defaults.
public struct RouteDialTemplates: Sendable, Equatable {
    /// Template for each SIP account; must contain `{account}`.
    public var sipTemplate: String
    /// Template for each phone number; must contain `{number}`.
    public var phoneTemplate: String

    public init(sipTemplate: String = "PJSIP/{account}", phoneTemplate: String = "PJSIP/{number}@trunk") {
        self.sipTemplate = sipTemplate
        self.phoneTemplate = phoneTemplate
    }

    /// Problems that make the templates unusable, for `check-config`; empty when they are fine.
    public var problems: [String] {
        var problems: [String] = []
        if !sipTemplate.contains("{account}") { problems.append("sipTemplate must contain {account}") }
        if !phoneTemplate.contains("{number}") { problems.append("phoneTemplate must contain {number}") }
        for template in [sipTemplate, phoneTemplate] where template.contains(where: { "&,()\"\\\r\n".contains($0) }) {
            problems.append("dial template \(template) contains a character that breaks a Dial string (& , ( ) \" \\)")
        }
        return problems
    }

    /// The Dial string for an employee; endpoints that are not safe in a Dial string are left out.
    /// Empty when nothing is left.
    public func dialString(for employee: DirectoryEmployee) -> String {
        var targets: [String] = []
        for account in employee.sipAccounts where CallerInput.isEndpointName(account[...]) {
            targets.append(sipTemplate.replacingPlaceholder("{account}", with: account))
        }
        for number in employee.phoneNumbers {
            guard let digits = CallerInput.phoneNumber(number) else { continue }
            let dialled = number.hasPrefix("+") ? "+" + digits : digits
            targets.append(phoneTemplate.replacingPlaceholder("{number}", with: dialled))
        }
        return targets.joined(separator: "&")
    }
}

extension String {
    /// Every occurrence of `placeholder` replaced, scanning the UTF-8 bytes once (this runs for
    /// every routed call).
    fileprivate func replacingPlaceholder(_ placeholder: String, with value: String) -> String {
        let bytes = Array(utf8)
        let pattern = Array(placeholder.utf8)
        guard !pattern.isEmpty, bytes.count >= pattern.count else { return self }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + value.utf8.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == pattern[0], index + pattern.count <= bytes.count,
                bytes[index..<index + pattern.count].elementsEqual(pattern)
            {
                result.append(contentsOf: value.utf8)
                index += pattern.count
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
