import Foundation
@testable import Persistence
import Testing

@Suite("Durable spool")
struct SpoolTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cj-spool-\(UUID().uuidString)")

    func records(_ spool: Spool) throws -> [[UInt8]] {
        var all: [[UInt8]] = []
        while let segment = try spool.oldestSegment() {
            all += segment.records
            try spool.remove(segment)
        }
        return all
    }

    @Test func recordsComeBackInOrderAcrossSegmentsAndRestarts() throws {
        let written = (0 ..< 50).map { Array("record \($0) ".utf8) + [UInt8](repeating: UInt8($0), count: $0 * 10) }
        do {
            let spool = try Spool(directory: directory, maximumBytes: 1 << 20, segmentBytes: 2_000)
            for record in written { try spool.append(record) }
            #expect(spool.segmentCount > 3)
        }
        // A new process opens the same directory.
        let reopened = try Spool(directory: directory, maximumBytes: 1 << 20, segmentBytes: 2_000)
        #expect(!reopened.isEmpty)
        #expect(try records(reopened) == written)
        #expect(reopened.isEmpty)
        #expect(reopened.byteCount == 0)
    }

    @Test func aTornTailAfterACrashIsSkippedAndEveryIntactRecordKept() throws {
        let spool = try Spool(directory: directory, maximumBytes: 1 << 20)
        for index in 0 ..< 3 { try spool.append(Array("intact \(index)".utf8)) }
        // Simulate a crash in the middle of writing a fourth record: half a frame at the end of the file.
        let frame = SpoolFrame.encode(Array("torn record that never finished".utf8))
        let file = directory.appendingPathComponent("000001.spool")
        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        try handle.write(contentsOf: frame.prefix(frame.count / 2))
        try handle.close()

        let segment = try #require(try Spool(directory: directory, maximumBytes: 1 << 20).oldestSegment())
        #expect(segment.records.map { String(decoding: $0, as: UTF8.self) } == ["intact 0", "intact 1", "intact 2"])
        #expect(segment.damagedBytes == frame.count / 2)
    }

    @Test func aDamagedRecordInTheMiddleIsSkippedAndTheRestKept() throws {
        var bytes = SpoolFrame.encode(Array("first".utf8))
        var damaged = SpoolFrame.encode(Array("second".utf8))
        damaged[damaged.count - 1] ^= 0xFF   // a flipped bit: the checksum no longer matches
        bytes += damaged + SpoolFrame.encode(Array("third".utf8))
        let (payloads, skipped) = SpoolFrame.scan(bytes)
        #expect(payloads.map { String(decoding: $0, as: UTF8.self) } == ["first", "third"])
        #expect(skipped == damaged.count)
    }

    @Test func garbageIsSkippedWithoutCrashing() {
        let garbage = (0 ..< 10_000).map { UInt8(truncatingIfNeeded: $0 &* 7919) } + Array("CJS1".utf8) + [0xFF, 0xFF, 0xFF, 0xFF]
        let (payloads, skipped) = SpoolFrame.scan(garbage)
        #expect(payloads.isEmpty)
        #expect(skipped == garbage.count)
    }

    @Test func aFullSpoolRefusesLoudlyAndWritesNothing() throws {
        let spool = try Spool(directory: directory, maximumBytes: 100)
        try spool.append([UInt8](repeating: 1, count: 50))
        #expect(throws: SpoolError.full(limit: 100)) { try spool.append([UInt8](repeating: 2, count: 50)) }
        #expect(try records(spool) == [[UInt8](repeating: 1, count: 50)])
        #expect(SpoolError.full(limit: 100).description.contains("spool.max_bytes"))
    }

    /// A flush still holding a drained segment must never remove a newer file: numbers are not reused.
    @Test func segmentNumbersAreNeverReusedEvenAfterTheSpoolEmpties() throws {
        let spool = try Spool(directory: directory, maximumBytes: 1 << 20)
        try spool.append([1])
        let first = try #require(try spool.oldestSegment())
        try spool.remove(first)
        #expect(spool.isEmpty)
        try spool.append([2])
        let second = try #require(try spool.oldestSegment())
        #expect(second.number > first.number)
        #expect(second.path != first.path)
        // Removing the first again (a stale caller) must fail rather than take the new file with it.
        #expect(throws: SpoolError.self) { try spool.remove(first) }
        #expect(try records(spool) == [[2]])
    }

    @Test func aRecordTooLargeToReadBackIsRefusedAndNothingWritten() throws {
        let spool = try Spool(directory: directory, maximumBytes: 1 << 30)
        let tooLarge = [UInt8](repeating: 7, count: Spool.maximumRecordBytes + 1)
        #expect(throws: SpoolError.recordTooLarge(bytes: tooLarge.count, limit: Spool.maximumRecordBytes)) {
            try spool.append(tooLarge)
        }
        #expect(spool.isEmpty)
        #expect(spool.byteCount == 0)
    }

    /// A crash right after a segment file was created leaves it empty: it is drained (nothing in it) and removed
    /// like any other, and does not hide the segments after it.
    @Test func anEmptySegmentLeftByACrashIsDrainedLikeAnyOther() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: directory.appendingPathComponent("000001.spool").path, contents: nil))
        let spool = try Spool(directory: directory, maximumBytes: 1 << 20)
        #expect(!spool.isEmpty)
        try spool.append([9])
        #expect(try records(spool) == [[9]])
        #expect(spool.isEmpty)
    }

    @Test func crc32MatchesTheStandardCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }
}
