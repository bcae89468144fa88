import CallTracking
import Persistence

extension EndpointDirectory {
    /// The tracker's view of a directory snapshot: SIP accounts → employees, and the PBX's trunks.
    init(_ data: DirectoryData, trunks: [String]) {
        var employees: [String: TrackedEmployee] = [:]
        for employee in data.employees {
            let tracked = TrackedEmployee(id: employee.id, extensionNumber: employee.extensionNumber,
                                          ignoreInJournal: employee.ignoreInJournal)
            for account in employee.sipAccounts { employees[account] = tracked }
        }
        self.init(employeesByEndpoint: employees, trunkEndpoints: Set(trunks))
    }
}
