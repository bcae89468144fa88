// swift-tools-version: 6.2
import PackageDescription

let strictness: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "calljournal",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "calljournal", targets: ["calljournal"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0", traits: ["YAML"]),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // libpq, found through pkg-config (Debian: libpq-dev).
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),

        // Plain AMI message model shared by the codec and the call tracker. No dependencies.
        .target(name: "AMIModel", swiftSettings: strictness),
        // The metadata keys of every log line, in one place. No dependencies.
        .target(name: "LogKeys", swiftSettings: strictness),

        .target(
            name: "AMIClient",
            dependencies: [
                "AMIModel", "LogKeys",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictness
        ),
        .target(name: "CallTracking", dependencies: ["AMIModel"], swiftSettings: strictness),
        .target(
            name: "AGIHandlers",
            dependencies: [
                "LogKeys",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictness
        ),
        // A stand-in for Asterisk built from recorded traffic: `calljournal simulate`, the demo and the tests.
        .target(
            name: "PBXSimulator",
            dependencies: [
                "AMIModel", "AMIClient", "AGIHandlers", "LogKeys",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictness
        ),
        .target(
            name: "Persistence",
            dependencies: [
                "CLibPQ",
                "CallTracking",
                "LogKeys",
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Migrations"],
            swiftSettings: strictness,
            plugins: ["EmbedMigrations"]
        ),
        .executableTarget(name: "embed-migrations", path: "Sources/embed-migrations"),
        .plugin(name: "EmbedMigrations", capability: .buildTool(), dependencies: ["embed-migrations"]),
        .executableTarget(
            name: "calljournal",
            dependencies: [
                "AMIModel", "AMIClient", "CallTracking", "AGIHandlers", "Persistence", "PBXSimulator", "LogKeys",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictness
        ),

        // Benchmarks: release builds that print their figures (docs/performance.md).
        .executableTarget(
            name: "tracker-bench",
            dependencies: ["AMIClient", "CallTracking", "Persistence", "TestFixtures", .product(name: "Logging", package: "swift-log")], path: "Benchmarks/tracker-bench",
            swiftSettings: strictness
        ),

        .executableTarget(
            name: "ami-bench", dependencies: ["AMIClient", "AMIModel"], path: "Benchmarks/ami-bench",
            swiftSettings: strictness
        ),
        .target(name: "CEpoll", path: "Benchmarks/CEpoll"),
        .executableTarget(
            name: "agi-bench",
            dependencies: [
                "AGIHandlers", "CEpoll",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/agi-bench",
            swiftSettings: strictness
        ),

        // Recorded Asterisk traffic, shared by every test target.
        .target(
            name: "TestFixtures",
            path: "Tests/Fixtures",
            resources: [.copy("asterisk-traces")],
            swiftSettings: strictness
        ),
        .testTarget(
            name: "AMIClientTests",
            dependencies: ["AMIClient", "TestFixtures", .product(name: "NIOTestUtils", package: "swift-nio")],
            swiftSettings: strictness
        ),
        .testTarget(name: "CallTrackingTests", dependencies: ["CallTracking", "AMIClient", "TestFixtures"], swiftSettings: strictness),
        .testTarget(
            name: "AGIHandlersTests",
            dependencies: [
                "AGIHandlers", "PBXSimulator", "TestFixtures",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictness
        ),
        .testTarget(name: "PersistenceTests", dependencies: ["Persistence", "CallTracking", "AMIClient", "TestFixtures"], swiftSettings: strictness),
        .testTarget(name: "CalljournalTests", dependencies: ["calljournal", "PBXSimulator", "TestFixtures"], swiftSettings: strictness),
    ],
    swiftLanguageModes: [.v6]
)
