import AGIHandlers
import Testing

@Suite struct AGILineFramerTests {
    @Test func splitsOnNewlineAndDropsCarriageReturn() throws {
        var framer = AGILineFramer(maximumLineLength: 100)
        framer.append(Array("200 result=1\nHANGUP\r\npart".utf8))
        #expect(try framer.nextLine() == "200 result=1")
        #expect(try framer.nextLine() == "HANGUP")
        #expect(try framer.nextLine() == nil)
        framer.append(Array("ial\n".utf8))
        #expect(try framer.nextLine() == "partial")
        #expect(framer.bufferedByteCount == 0)
    }

    @Test func overlongLineFailsBeforeItsEndArrives() throws {
        var framer = AGILineFramer(maximumLineLength: 10)
        framer.append(Array("0123456789".utf8))
        #expect(try framer.nextLine() == nil)
        framer.append(Array("AB".utf8))
        #expect(throws: AGIProtocolError.lineTooLong(limit: 10)) { try framer.nextLine() }
    }

    @Test func longLineFedByteByByteIsScannedOnce() throws {
        var framer = AGILineFramer(maximumLineLength: 300_000)
        let line = Array(repeating: UInt8(ascii: "a"), count: 200_000)
        let clock = ContinuousClock()
        var completeLines = 0
        let elapsed = clock.measure {
            for byte in line {
                framer.append(CollectionOfOne(byte))
                if (try? framer.nextLine()) != nil { completeLines += 1 }
            }
        }
        #expect(completeLines == 0)
        framer.append(Array("\n".utf8))
        #expect(try framer.nextLine()?.utf8.count == 200_000)
        // Quadratic rescanning would take minutes here; linear scanning takes well under a few seconds.
        #expect(elapsed < .seconds(5))
    }

    @Test func invalidUTF8IsReplacedNotFatal() throws {
        var framer = AGILineFramer(maximumLineLength: 100)
        framer.append([0x61, 0xFF, 0x62, 0x0A])
        #expect(try framer.nextLine() == "a\u{FFFD}b")
    }
}
