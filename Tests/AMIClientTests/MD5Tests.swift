@testable import AMIClient
import Foundation
import Testing

@Suite struct MD5Tests {
    /// The test suite of RFC 1321, appendix A.5.
    @Test(arguments: [
        ("", "d41d8cd98f00b204e9800998ecf8427e"),
        ("a", "0cc175b9c0f1b6a831c399e269772661"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
        (String(repeating: "1234567890", count: 8), "57edf4a22be3c955ac49da2e2107b67a"),
    ])
    func rfc1321TestSuite(_ input: String, _ digest: String) {
        #expect(MD5.hexDigest(Array(input.utf8)) == digest)
    }

    @Test func theConstantTableIsTheSineTable() {
        let computed = (0 ..< 64).map { UInt32((abs(sin(Double($0 + 1))) * 4_294_967_296).rounded(.down)) }
        #expect(MD5.sines == computed)
    }

    /// Lengths around the 56- and 64-byte padding edges, checked against md5sum.
    @Test func paddingEdgesMatchMd5sum() throws {
        for length in [55, 56, 57, 63, 64, 65, 119, 120, 1000] {
            let input = (0 ..< length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            #expect(MD5.hexDigest(input) == (try md5sum(input)), "length \(length)")
        }
    }

    private func md5sum(_ bytes: [UInt8]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/md5sum")
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(bytes))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data.prefix(32), as: UTF8.self)
    }
}
