import CallTracking
import Persistence

extension EndpointDirectory {
    /// The tracker's view of a directory snapshot: SIP accounts and outside phone numbers → employees, and the
    /// PBX's trunks.
    init(_ data: DirectoryData, trunks: [String]) {
        var employees: [String: TrackedEmployee] = [:]
        var phones: [String: TrackedEmployee] = [:]
        for employee in data.employees {
            let tracked = TrackedEmployee(id: employee.id, extensionNumber: employee.extensionNumber,
                                          ignoreInJournal: employee.ignoreInJournal)
            for account in employee.sipAccounts { employees[account] = tracked }
            for phone in employee.phoneNumbers { phones[phone] = tracked }
        }
        self.init(employeesByEndpoint: employees, employeesByPhone: phones, trunkEndpoints: Set(trunks))
    }
}
