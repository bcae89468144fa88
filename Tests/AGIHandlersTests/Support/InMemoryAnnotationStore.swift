import AGIHandlers

/// The annotation store of the tests: remembers what the handlers saved.
actor InMemoryAnnotationStore: CallAnnotationStore {
    struct Unavailable: Error {}

    private(set) var postCallResults: [PostCallResult] = []
    private(set) var onlineChanges: [(employeeID: Int64, isOnline: Bool)] = []
    private var failing = false

    func savePostCallResult(_ result: PostCallResult) async throws {
        if failing { throw Unavailable() }
        postCallResults.append(result)
    }

    func setEmployeeOnline(employeeID: Int64, isOnline: Bool) async throws {
        if failing { throw Unavailable() }
        onlineChanges.append((employeeID, isOnline))
    }

    func failEverySave() {
        failing = true
    }
}

/// A directory the tests can change while the server runs.
actor InMemoryDirectorySource: DirectorySource {
    private var snapshot: DirectorySnapshot

    init(_ snapshot: DirectorySnapshot) {
        self.snapshot = snapshot
    }

    func current() async -> DirectorySnapshot { snapshot }

    func replace(with snapshot: DirectorySnapshot) {
        self.snapshot = snapshot
    }
}
