import Foundation
import LogKeys
import Logging

/// Where the journal writer puts what PostgreSQL will never take, for an operator to inspect: a call it rejects for
/// its data (or that alone is over a limit of one statement), as JSON with the error, and a spool record that does
/// not decode, byte for byte.
///
/// Each file is written and fsynced with its directory before anything that relies on it happens (removing the spool
/// segment that held its call), so a crash cannot lose a call between the spool and the quarantine.
struct JournalQuarantine: Sendable {
    /// A call PostgreSQL refused, as written to the quarantine directory.
    struct Entry: Codable {
        var error: String
        var sqlState: String
        var constraint: String?
        var batch: JournalBatch
    }

    let directory: URL
    let logger: Logger

    /// Keeps a call PostgreSQL refuses. A file that cannot be written is logged with the record instead.
    func keep(_ batch: JournalBatch, key: CallKey, error: PostgresError) {
        let name = "\(Self.millisecondsNow())-\(key.pbx)-\(key.linkedid).json".replacingOccurrences(of: "/", with: "_")
        let path = directory.appendingPathComponent(name)
        let entry = Entry(error: error.description, sqlState: error.sqlState, constraint: error.constraint, batch: batch)
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            try Self.writeDurably(try encoder.encode(entry), to: path)
            logger.error("call quarantined: PostgreSQL rejects it", metadata: [
                LogKey.pbx: "\(key.pbx)", LogKey.linkedid: "\(key.linkedid)", LogKey.error: "\(error)", LogKey.file: "\(path.path)",
            ])
        } catch {
            logger.critical("call quarantined but the quarantine file could not be written; its record follows", metadata: [
                LogKey.linkedid: "\(key.linkedid)", LogKey.error: "\(error)", LogKey.record: "\(batch.records)",
            ])
        }
    }

    /// Keeps a spool record that passed its checksum but does not decode (written by a version of calljournal with
    /// another record format). Returns false when even that failed, and the segment must stay.
    func keepUnreadable(_ record: [UInt8], segment: SpoolSegment, index: Int) -> Bool {
        let name = "\(Self.millisecondsNow())-spool-\(segment.path.deletingPathExtension().lastPathComponent)-\(index).record"
        let path = directory.appendingPathComponent(name)
        do {
            try Self.writeDurably(Data(record), to: path)
            logger.error("a spool record could not be read; kept in the quarantine directory", metadata: [
                LogKey.segment: "\(segment.path.lastPathComponent)", LogKey.file: "\(path.path)", LogKey.bytes: "\(record.count)",
            ])
            return true
        } catch {
            logger.critical("a spool record could not be read nor quarantined; its segment stays in the spool", metadata: [
                LogKey.segment: "\(segment.path.lastPathComponent)", LogKey.error: "\(error)",
            ])
            return false
        }
    }

    private static func millisecondsNow() -> Int {
        Int(Date().timeIntervalSince1970 * 1000)
    }

    /// Writes a file and fsyncs it and its directory.
    private static func writeDurably(_ data: Data, to path: URL) throws {
        let directory = path.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try data.write(to: path)
        let file = try FileHandle(forUpdating: path)
        defer { try? file.close() }
        try file.synchronize()
        try Spool.synchronizeDirectory(directory)
    }
}
