import AGIHandlers
import Foundation
import Persistence
import Synchronization

extension DirectorySnapshot {
    /// The FastAGI handlers' view of a directory snapshot; inactive categories cannot be keyed in.
    init(_ data: DirectoryData) {
        self.init(
            employees: data.employees.map {
                DirectoryEmployee(id: $0.id, fullName: $0.fullName, extensionNumber: $0.extensionNumber, isOnline: $0.isOnline,
                                  sipAccounts: $0.sipAccounts, phoneNumbers: $0.phoneNumbers)
            },
            categories: data.categories.filter(\.isActive).map { DirectoryCategory(id: $0.id, code: $0.code, name: $0.name) },
            contactOwners: data.contactOwners)
    }
}

/// The FastAGI handlers' directory: the shared in-memory snapshot, converted once per version.
final class HolderDirectorySource: SynchronousDirectorySource {
    private let holder: DirectoryHolder
    private let cache = Mutex<(version: Int, snapshot: DirectorySnapshot)>((-1, .empty))

    init(holder: DirectoryHolder) {
        self.holder = holder
    }

    func current() async -> DirectorySnapshot { currentSnapshot() }

    /// Without waiting, so `route` sessions run start to finish on their connection's event loop.
    func currentSnapshot() -> DirectorySnapshot {
        let (version, data) = holder.current
        return cache.withLock { cached in
            // Only forwards: a session that read the holder just before a refresh must not replace the newer
            // snapshot another loop already built with its older one.
            if version > cached.version { cached = (version, DirectorySnapshot(data)) }
            return cached.snapshot
        }
    }
}

/// What the post-call menu and the status key store, written through the journal's PostgreSQL client.
struct PostgresAnnotationStore: CallAnnotationStore {
    let client: PostgresClient
    /// The PBX the FastAGI clients belong to (calls are keyed by PBX and Linkedid).
    let pbx: String

    func savePostCallResult(_ result: PostCallResult) async throws {
        let pbx = self.pbx
        try await client.withConnection { connection in
            try CallAnnotations(connection: connection).savePostCall(
                pbx: pbx, linkedid: result.linkedid, employeeID: result.employeeID, categoryID: result.categoryID,
                value: result.value.map { Decimal($0) })
        }
    }

    func setEmployeeOnline(employeeID: Int64, isOnline: Bool) async throws {
        try await client.withConnection { connection in
            try CallAnnotations(connection: connection).setOnline(employeeID: employeeID, isOnline: isOnline)
        }
    }
}
