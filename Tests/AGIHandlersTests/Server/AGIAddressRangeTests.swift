@testable import AGIHandlers
import Logging
import NIOCore
import NIOEmbedded
import Testing

@Suite struct AGIAddressRangeTests {
    private func address(_ text: String) throws -> SocketAddress { try SocketAddress(ipAddress: text, port: 40000) }

    @Test func cidrMatching() throws {
        let office = try #require(AGIAddressRange("10.20.0.0/16"))
        #expect(office.contains(try address("10.20.255.1")))
        #expect(!office.contains(try address("10.21.0.1")))
        #expect(office.contains(try address("::ffff:10.20.1.1")), "IPv4-mapped IPv6 is compared as IPv4")
        let v6 = try #require(AGIAddressRange("fd00::/8"))
        #expect(v6.contains(try address("fd12::1")))
        #expect(!v6.contains(try address("fe80::1")))
        #expect(AGIAddressRange("192.0.2.7")?.prefixLength == 32)
        #expect(AGIAddressRange("10.0.0.0/33") == nil)
        #expect(AGIAddressRange("not-an-ip") == nil)
        #expect(AGIAddressRange("10.20.3.4/16")?.description == "10.20.0.0/16")
    }

    /// An IPv4-mapped network written in IPv6 terms is the IPv4 network it maps.
    @Test func ipv4MappedNetworksInIPv6Notation() throws {
        let mapped = try #require(AGIAddressRange("::ffff:10.0.0.0/104"))
        #expect(mapped == AGIAddressRange("10.0.0.0/8"))
        #expect(mapped.contains(try address("10.1.2.3")))
        #expect(mapped.contains(try address("::ffff:10.1.2.3")))
        #expect(!mapped.contains(try address("11.0.0.1")))
        #expect(AGIAddressRange("::ffff:192.0.2.7")?.prefixLength == 32)
        #expect(AGIAddressRange("::ffff:10.0.0.0/64") == nil, "wider than the mapped space: not an IPv4 network")
        #expect(AGIAddressRange("::ffff:10.0.0.0/129") == nil)
    }

    private func gate(allowing ranges: [String], limit: Int = 10) -> (AGIConnectionGate, AGIServerMetrics) {
        let metrics = AGIServerMetrics()
        var configuration = AGIServerConfiguration()
        configuration.allowedClients = ranges.compactMap(AGIAddressRange.init)
        configuration.maximumSessions = limit
        return (AGIConnectionGate(configuration: configuration, metrics: metrics, logger: ServerHarness.quietLogger), metrics)
    }

    private func channel(from text: String) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        channel.remoteAddress = try address(text)
        return channel
    }

    @Test func loopbackIsAlwaysAllowedOthersOnlyWhenListed() throws {
        let (gate, metrics) = gate(allowing: ["192.0.2.0/24"])
        #expect(gate.admit(try channel(from: "127.0.0.1")))
        #expect(gate.admit(try channel(from: "127.8.9.10")))
        #expect(gate.admit(try channel(from: "::1")))
        #expect(gate.admit(try channel(from: "192.0.2.44")))
        #expect(!gate.admit(try channel(from: "198.51.100.1")))
        #expect(!gate.admit(try channel(from: "2001:db8::1")))
        #expect(metrics.snapshot().refusedByAllowlist == 2)
        #expect(metrics.snapshot().activeSessions == 4)
    }

    @Test func sessionLimitRefusesTheExtraConnection() throws {
        let (gate, metrics) = gate(allowing: [], limit: 2)
        #expect(gate.admit(try channel(from: "127.0.0.1")))
        #expect(gate.admit(try channel(from: "127.0.0.1")))
        #expect(!gate.admit(try channel(from: "127.0.0.1")))
        metrics.releaseSession()
        #expect(gate.admit(try channel(from: "127.0.0.1")))
        #expect(metrics.snapshot().refusedOverCapacity == 1)
    }
}
