// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Athanor",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "athanor", targets: ["athanor"]),
        .executable(name: "athanor-push", targets: ["athanor-push"]),
        .executable(name: "athanor-serve", targets: ["athanor-serve"]),
        .library(name: "Notebook", targets: ["Notebook"]),
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "Runs", targets: ["Runs"]),
        .library(name: "Report", targets: ["Report"]),
        .library(name: "Workflows", targets: ["Workflows"]),
        .library(name: "Serving", targets: ["Serving"]),
        .library(name: "Drift", targets: ["Drift"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // The web server of `athanor serve`: no dependencies, a 25 s first debug build (Hummingbird: 231 s).
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmark", pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]),
        .systemLibrary(
            name: "CBLAS",
            providers: [.apt(["libblis-dev"])]),
        .target(name: "Notebook", dependencies: ["CCmark", "Yams"]),
        .target(name: "Engine", dependencies: ["CBLAS"]),
        // Training statistics and the drift tests of `athanor monitor` (PSI, KS, χ²): plain Swift, no dependency.
        .target(name: "Drift"),
        .target(
            name: "Runs",
            dependencies: [
                "Notebook", "Engine", "Drift",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // The Python modules of code steps, written beside each one as it runs.
            resources: [
                .embedInCode("Python/athanor.py"), .embedInCode("Python/athanor_dataset.py"),
                .embedInCode("Python/athanor_figures.py"), .embedInCode("Python/athanor_log.py"),
            ]),
        .target(
            name: "Report",
            dependencies: [
                "Runs", "Notebook", "Drift",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // The use cases; their options are declared once, as swift-argument-parser's option groups.
        .target(
            name: "Workflows",
            dependencies: [
                "Notebook", "Engine", "Runs", "Report", "Drift",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "athanor",
            dependencies: ["Workflows", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // `athanor serve` lives in its own executable so that the plain `athanor` starts fast.
        .target(
            name: "Serving",
            dependencies: [
                "Workflows", "Report", "Runs", .product(name: "FlyingFox", package: "FlyingFox"),
                .product(name: "FlyingSocks", package: "FlyingFox"),
            ]),
        .executableTarget(
            name: "athanor-serve",
            dependencies: ["Serving", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .target(name: "TestSupport", dependencies: ["Workflows", "Engine"]),
        // `athanor push`: the MLflow client, in an executable of its own so that FoundationNetworking loads
        // only for it, not at every start of `athanor`.
        .target(name: "Pushing", dependencies: ["Workflows"]),
        .executableTarget(
            name: "athanor-push",
            dependencies: ["Pushing", "Workflows", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "EngineBenchmarks", dependencies: ["Engine"], path: "benchmarks/EngineBenchmarks"),
        .executableTarget(
            name: "DataPathBenchmark", dependencies: ["Engine"], path: "benchmarks/DataPathBenchmark"),
        .executableTarget(
            name: "ReportBenchmark", dependencies: ["Report", "Runs"], path: "benchmarks/ReportBenchmark"),
        .executableTarget(
            name: "ServeBenchmark", dependencies: ["Serving", .product(name: "FlyingFox", package: "FlyingFox")],
            path: "benchmarks/ServeBenchmark"),
        .executableTarget(
            name: "MonitorBenchmark", dependencies: ["Engine", "Drift"], path: "benchmarks/MonitorBenchmark"),
        .executableTarget(
            name: "RunStoreBenchmark", dependencies: ["Runs", "Engine"], path: "benchmarks/RunStoreBenchmark"),
        .testTarget(
            name: "NotebookTests", dependencies: ["Notebook"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "DriftTests", dependencies: ["Drift"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "EngineTests", dependencies: ["Engine"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "RunsTests",
            dependencies: [
                "Runs", "Notebook", "Engine", "Workflows", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "ReportTests", dependencies: ["Report", "Runs", "Notebook", "TestSupport"], exclude: ["Snapshots"]),
        .testTarget(
            name: "WorkflowsTests",
            dependencies: [
                "Workflows", "TestSupport", "Engine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["Snapshots"]),
        .testTarget(
            name: "PushingTests", dependencies: ["Pushing", "Workflows", "TestSupport", "athanor", "athanor-push"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "ServingTests",
            dependencies: [
                "Serving", "TestSupport", "Runs", "Workflows", .product(name: "FlyingFox", package: "FlyingFox"),
            ]),
        .testTarget(
            name: "AthanorTests", dependencies: ["athanor", "TestSupport"],
            resources: [.copy("Fixtures")]),
    ]
)
