public import Foundation

/// An append-only, checksummed, fsynced queue of journal batches on local disk, for when PostgreSQL cannot take them.
///
/// Records go into numbered segment files (`000001.spool`, …) in the spool directory. A record counts as written
/// only after `fsync` returns. Draining reads the oldest segment, and the caller removes it only after every record
/// in it was committed to PostgreSQL; a crash in between replays the segment, which the journal's idempotent upserts
/// absorb. An `fsync` failure is fatal (`SpoolError.syncFailed`): like PostgreSQL, the spool does not guess what
/// reached the disk — the daemon exits and systemd restarts it.
public final class Spool {
    public let directory: URL
    public let maximumBytes: Int
    let segmentBytes: Int
    private var segments: [Int] = []
    /// The number the next segment gets. It only grows: a number is never reused within a process, so a segment
    /// removed after draining can never be confused with a newer file of the same name.
    private var nextSegment = 1
    private var writer: FileHandle?
    private var writerSegment: Int?
    private var writerSize = 0
    /// The segment handed out by `oldestSegment()` and not yet removed or given back: nothing is appended to it.
    private var draining: Int?
    /// Bytes in all segments.
    public private(set) var byteCount = 0

    /// Opens (creating if needed) the spool in `directory`.
    public init(directory: URL, maximumBytes: Int, segmentBytes: Int = 16 << 20) throws(SpoolError) {
        self.directory = directory
        self.maximumBytes = maximumBytes
        self.segmentBytes = segmentBytes
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".spool") {
                guard let number = Int(name.dropLast(6)) else { continue }
                guard let size = try FileManager.default.attributesOfItem(atPath: url(of: number).path)[.size] as? Int
                else { throw SpoolError.unusable(directory: directory.path, reason: "cannot read the size of \(name)") }
                segments.append(number)
                byteCount += size
            }
        } catch let error as SpoolError {
            throw error
        } catch {
            throw .unusable(directory: directory.path, reason: "\(error)")
        }
        segments.sort()
        nextSegment = (segments.last ?? 0) + 1
    }

    /// True when no segment file is left (an empty one, from a crash right after it was created, counts: it is
    /// drained and removed like any other).
    public var isEmpty: Bool { segments.isEmpty }
    /// Segment files on disk.
    public var segmentCount: Int { segments.count }

    /// The largest record `append` takes.
    public static var maximumRecordBytes: Int { SpoolFrame.maximumPayload }

    /// Appends one record and fsyncs it. Throws `.full` (nothing written) when it would exceed `maximumBytes`, and
    /// `.recordTooLarge` (nothing written) for a record over ``maximumRecordBytes``, which reading back would refuse.
    public func append(_ payload: [UInt8]) throws(SpoolError) {
        guard payload.count <= SpoolFrame.maximumPayload else {
            throw .recordTooLarge(bytes: payload.count, limit: SpoolFrame.maximumPayload)
        }
        let frame = SpoolFrame.encode(payload)
        guard byteCount + frame.count <= maximumBytes else { throw .full(limit: maximumBytes) }
        if writer == nil || writerSize + frame.count > segmentBytes || writerSegment == draining { try startSegment() }
        guard let writer else { throw .unusable(directory: directory.path, reason: "no open segment") }
        do {
            try writer.write(contentsOf: frame)
        } catch {
            throw .writeFailed(path: url(of: writerSegment ?? 0).path, reason: "\(error)")
        }
        do {
            try writer.synchronize()
        } catch {
            throw .syncFailed(path: url(of: writerSegment ?? 0).path, reason: "\(error)")
        }
        writerSize += frame.count
        byteCount += frame.count
    }

    /// The oldest segment's records, or nil when the spool is empty. Until the segment is removed (all its records
    /// committed) or given back (`abandonDrain()`), records appended go to a new segment, so none can be removed
    /// unread. The segment being written is not closed for this: a drain that fails at once (PostgreSQL still
    /// away) gives it back, and the next records join it instead of starting a file each.
    public func oldestSegment() throws(SpoolError) -> SpoolSegment? {
        guard let number = segments.first else { return nil }
        draining = number
        let path = url(of: number)
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: path))
        } catch {
            throw .unusable(directory: directory.path, reason: "cannot read \(path.lastPathComponent): \(error)")
        }
        let (payloads, damaged) = SpoolFrame.scan(bytes)
        return SpoolSegment(number: number, path: path, byteCount: bytes.count, records: payloads, damagedBytes: damaged)
    }

    /// Deletes a segment whose records were all committed.
    public func remove(_ segment: SpoolSegment) throws(SpoolError) {
        do {
            try FileManager.default.removeItem(at: segment.path)
        } catch {
            throw .writeFailed(path: segment.path.path, reason: "cannot remove: \(error)")
        }
        if writerSegment == segment.number { closeWriter() }
        if draining == segment.number { draining = nil }
        segments.removeAll { $0 == segment.number }
        byteCount = max(0, byteCount - segment.byteCount)
    }

    /// Gives back the segment `oldestSegment()` handed out, without removing it (the drain stopped): appends may go
    /// to it again, and the next drain reads it whole.
    public func abandonDrain() {
        draining = nil
    }

    private func startSegment() throws(SpoolError) {
        closeWriter()
        let number = max(nextSegment, (segments.last ?? 0) + 1)
        nextSegment = number + 1
        let path = url(of: number)
        guard FileManager.default.createFile(atPath: path.path, contents: nil),
              let handle = try? FileHandle(forWritingTo: path)
        else { throw .unusable(directory: directory.path, reason: "cannot create \(path.lastPathComponent)") }
        segments.append(number)
        writer = handle
        writerSegment = number
        writerSize = 0
        // Make the new file's directory entry durable too, or a crash could lose the whole segment.
        try syncDirectory()
    }

    private func closeWriter() {
        try? writer?.close()
        writer = nil
        writerSegment = nil
        writerSize = 0
    }

    private func syncDirectory() throws(SpoolError) {
        try Self.synchronizeDirectory(directory)
    }

    /// Makes a directory's entries (files created, renamed or removed in it) durable.
    static func synchronizeDirectory(_ directory: URL) throws(SpoolError) {
        let descriptor = open(directory.path, O_RDONLY)
        guard descriptor >= 0 else {
            throw .syncFailed(path: directory.path, reason: "cannot open the directory: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw .syncFailed(path: directory.path, reason: String(cString: strerror(errno))) }
    }

    private func url(of number: Int) -> URL {
        directory.appendingPathComponent(String(format: "%06d.spool", number))
    }

    deinit { try? writer?.close() }
}

/// The records of one spool segment file.
public struct SpoolSegment: Sendable {
    public let number: Int
    public let path: URL
    public let byteCount: Int
    public let records: [[UInt8]]
    /// Bytes skipped because they did not form an intact record (a torn tail after a crash, or damage).
    public let damagedBytes: Int
}

/// Why the spool could not take or give back a record.
public enum SpoolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Accepting the record would exceed `spool.max_bytes`.
    case full(limit: Int)
    /// The directory cannot be created, listed or read.
    case unusable(directory: String, reason: String)
    case writeFailed(path: String, reason: String)
    /// A record larger than a spool record may be (it could not be read back).
    case recordTooLarge(bytes: Int, limit: Int)
    /// `fsync` failed: what reached the disk is unknown. Fatal by design.
    case syncFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .full(let limit):
            "the spool is full (spool.max_bytes = \(limit) bytes); PostgreSQL has been unreachable for too long"
        case .unusable(let directory, let reason): "the spool directory \(directory) is unusable: \(reason)"
        case .writeFailed(let path, let reason): "writing the spool file \(path) failed: \(reason)"
        case .recordTooLarge(let bytes, let limit): "a spool record of \(bytes) bytes is over the \(limit)-byte limit"
        case .syncFailed(let path, let reason):
            "fsync of the spool file \(path) failed (\(reason)); exiting rather than guessing what reached the disk"
        }
    }
}
