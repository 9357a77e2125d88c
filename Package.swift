// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Secours",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "secours", targets: ["secours"]),
        .executable(name: "secours-server", targets: ["secours-server"]),
        .library(name: "SecoursCore", targets: ["SecoursCore"]),
        .library(name: "SecoursForms", targets: ["SecoursForms"]),
        .library(name: "SecoursAPIClient", targets: ["SecoursAPIClient"]),
        .library(name: "SecoursSeal", targets: ["SecoursSeal"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-openapi-generator", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        .package(url: "https://github.com/swift-server/swift-openapi-async-http-client", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        .target(name: "SecoursCore"),
        // The paper fallback forms and the small PDF writer behind them: no server, no network.
        .target(name: "SecoursForms", dependencies: ["SecoursCore"]),
        // The seal printed as a QR code on the forms: Ed25519 signing and checking of the
        // COSE_Sign1 that SecoursCore builds and reads, and of the signed trust list.
        .target(name: "SecoursSeal", dependencies: ["SecoursCore", .product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "SecoursServer",
            dependencies: [
                "SecoursCore",
                "SecoursForms",
                "SecoursSeal",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            resources: [.copy("Resources")]
        ),
        // The offline toolkit (`secours`): no web service inside, so that it starts at once. It
        // calls the service through the generated client, so that it builds only against the
        // contract the service publishes.
        .target(
            name: "SecoursCLI",
            dependencies: [
                "SecoursCore",
                "SecoursForms",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                "SecoursAPIClient",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
            ]
        ),
        // `secours serve|migrate` hands over to `secours-server` installed beside it (not a
        // dependency: SwiftPM would link the whole service into `secours`).
        .executableTarget(name: "secours", dependencies: ["SecoursCLI"]),
        .executableTarget(
            name: "secours-server",
            dependencies: ["SecoursServer", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // The benchmarks' data sets (scripts/bench-*), written through the service's FixtureStore:
        // outside the service, which carries no benchmark code.
        .target(name: "SecoursFixtures", dependencies: ["SecoursServer", "SecoursCore"]),
        .executableTarget(
            name: "secours-fixtures",
            dependencies: ["SecoursFixtures", "SecoursServer", "SecoursCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Load generator for scripts/bench-*: talks to a running server over HTTP, to its JSON API
        // through the generated client.
        .executableTarget(
            name: "secours-bench",
            dependencies: [
                "SecoursCore",
                "SecoursForms",
                "SecoursAPIClient",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // A client of the JSON API generated from the server's own OpenAPI document (a symlink to
        // it), so that the document is proved usable by a generated client.
        .target(
            name: "SecoursAPIClient",
            dependencies: [
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
            ],
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        .testTarget(name: "SecoursCoreTests", dependencies: ["SecoursCore"]),
        .testTarget(name: "SecoursFormsTests", dependencies: ["SecoursForms"]),
        .testTarget(name: "SecoursSealTests", dependencies: ["SecoursSeal", "SecoursCore"], exclude: ["Fixtures"]),
        .testTarget(
            name: "SecoursServerTests",
            dependencies: [
                "SecoursServer",
                "SecoursFixtures",
                "SecoursAPIClient",
                "SecoursSeal",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "SecoursCLITests",
            dependencies: [
                "SecoursCLI",
                "SecoursCore",
                "SecoursServer",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
    ]
)
