// swift-tools-version:6.1
import PackageDescription

// Kernels rely on Swift SIMD lowering to AVX2/FMA instructions; without an explicit
// x86-64-v3 baseline, FMA becomes a libm call and vector code runs ~100x slower.
let kernelFlags: [SwiftSetting] = [
    .unsafeFlags(["-Xcc", "-march=x86-64-v3", "-enforce-exclusivity=unchecked"]),
]

let package = Package(
    name: "Swiftlet",
    products: [
        .library(name: "Swiftlet", targets: ["Swiftlet"]),
        .executable(name: "swiftlet", targets: ["swiftlet"]),
        .library(name: "SwiftletC", type: .dynamic, targets: ["SwiftletC"]),
    ],
    dependencies: [
        // HTTP for `swiftlet serve` only (SwiftletServer); the core library depends on none of these.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // Flags, help, completions of the `swiftlet` executable only.
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        // `swift package benchmark` (Benchmarks/, docs/BENCHMARKS.md). Only the malloc-interposer
        // trait (malloc counts without jemalloc): the default RuntimeInterposer trait needs
        // swift-runtime-interposer, which the package mirror lacks.
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        // `swift package generate-documentation` (tools/check-docs.sh); a command plugin only.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin.git", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG"),
        .target(
            name: "CJPEG",
            path: "Sources/CJPEG",
            linkerSettings: [.linkedLibrary("jpeg")]
        ),
        // CPUID/XGETBV for run-time kernel dispatch (Swift has no inline assembly).
        .target(name: "CSwiftletCPU", path: "Sources/CSwiftletCPU"),
        // AVX-512 register tiles: the only code built for x86-64-v4. The library calls into
        // it after CPUID says the CPU and OS run AVX-512; every other target stays v3.
        .target(
            name: "SwiftletAVX512",
            path: "Sources/SwiftletAVX512",
            swiftSettings: [.unsafeFlags(["-Xcc", "-march=x86-64-v4", "-enforce-exclusivity=unchecked"])]
        ),
        // The int8 tiles that use AVX512-VNNI (vpdpbusd); called only after CPUID reports it.
        .target(
            name: "SwiftletVNNI",
            path: "Sources/SwiftletVNNI",
            swiftSettings: [.unsafeFlags(["-Xcc", "-march=x86-64-v4", "-Xcc", "-mavx512vnni", "-enforce-exclusivity=unchecked"])]
        ),
        .target(
            name: "SwiftletTokenizers",
            path: "Sources/SwiftletTokenizers",
            // Unchecked exclusivity: runtime access tracking of closure-captured
            // buffers in the normalizers cost ~5% of encode time.
            swiftSettings: [.unsafeFlags(["-Xcc", "-march=x86-64-v3", "-enforce-exclusivity=unchecked"])]
        ),
        .target(
            name: "Swiftlet",
            dependencies: ["CBLAS", "CPNG", "CJPEG", "CSwiftletCPU", "SwiftletAVX512", "SwiftletVNNI", "SwiftletTokenizers"],
            path: "Sources/Swiftlet",
            swiftSettings: kernelFlags
        ),
        .target(
            name: "CSwiftlet",
            path: "Sources/CSwiftlet"
        ),
        .target(
            name: "SwiftletC",
            dependencies: ["Swiftlet", "SwiftletTokenizers", "CSwiftlet"],
            path: "Sources/SwiftletC"
        ),
        // What `swiftlet serve` does with a request before any model runs — the request types
        // of every route, JSON body decoding, header values, image bodies, the checks, error
        // bodies — with no HTTP library, so the fuzz build (which has no package
        // dependencies) fuzzes exactly the server's parsing (the `server` target, Fuzz/).
        .target(
            name: "SwiftletServeAPI",
            dependencies: ["Swiftlet"],
            path: "Sources/SwiftletServeAPI"
        ),
        // `swiftlet serve`: sidecar protocol v1 + OpenAI/Ollama/TEI-compatible APIs.
        .target(
            name: "SwiftletServer",
            dependencies: [
                "Swiftlet",
                "SwiftletTokenizers",
                "SwiftletServeAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Sources/SwiftletServer"
        ),
        .executableTarget(
            name: "swiftlet",
            dependencies: ["Swiftlet", "SwiftletServer", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/swiftlet",
            plugins: ["GitRevision"]
        ),
        // Writes the git revision `swiftlet --version` prints, before each build.
        .plugin(name: "GitRevision", capability: .buildTool(), path: "Plugins/GitRevision"),
        // Timing helper for tools/bench_tokenizers.py; not a product.
        .executableTarget(
            name: "swiftlet-tokbench",
            dependencies: ["SwiftletTokenizers"],
            path: "Sources/swiftlet-tokbench"
        ),
        // Helpers both test tiers share. A plain target (not a test target) so the tiers can
        // import it; it uses only the libraries' public API, so release builds compile it
        // without testability.
        .target(
            name: "SwiftletTestSupport",
            dependencies: ["Swiftlet", "SwiftletTokenizers", "CPNG"],
            path: "Tests/SwiftletTestSupport",
            // zlib unpacks the compressed golden probability maps; the library itself needs none.
            linkerSettings: [.linkedLibrary("z")]
        ),
        // Unit tier: needs nothing but the repository (golden/ is committed); passes on a
        // fresh clone. Graphs are built in Swift, not read from models/.
        // Fuzz entry bodies (Fuzz/, docs/ROBUSTNESS.md): plain Swift functions over bytes, so the
        // unit tier replays every committed crash input (Fuzz/Regressions) through the very
        // code the fuzzers run. The libFuzzer executable is added below, only for tools/fuzz.sh.
        .target(
            name: "SwiftletFuzz",
            dependencies: ["Swiftlet", "SwiftletTokenizers", "SwiftletC", "CSwiftlet", "SwiftletServeAPI"],
            path: "Fuzz/Bodies"
        ),
        .testTarget(
            name: "SwiftletUnitTests",
            dependencies: ["Swiftlet", "SwiftletTokenizers", "SwiftletTestSupport", "SwiftletFuzz"],
            path: "Tests/SwiftletUnitTests"
        ),
        // Parity tier: real models (tools/setup.sh) and sample images against the Python
        // references; a missing model fails the test with the command that builds it.
        .testTarget(
            name: "SwiftletParityTests",
            dependencies: ["Swiftlet", "SwiftletTokenizers", "SwiftletTestSupport"],
            path: "Tests/SwiftletParityTests"
        ),
        // Regression guard: `swift package benchmark baseline compare main` (docs/BENCHMARKS.md).
        // SwiftletTestSupport builds the one-MatMul models the GEMM cases time.
        .executableTarget(
            name: "SwiftletBenchmarks",
            dependencies: [
                "Swiftlet",
                "SwiftletTokenizers",
                "SwiftletTestSupport",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/SwiftletBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .testTarget(
            name: "SwiftletCTests",
            dependencies: ["SwiftletC", "Swiftlet", "CSwiftlet", "SwiftletTestSupport"],
            path: "Tests/SwiftletCTests"
        ),
    ],
    swiftLanguageModes: [.v5]
)

// The libFuzzer executable (Fuzz/Driver/main.swift; SWIFTLET_FUZZ_TARGET picks the body). It
// exists only when tools/fuzz.sh sets SWIFTLET_FUZZ=1: it links libFuzzer and needs
// `-sanitize=fuzzer,address` on the whole build, which tools/fuzz.sh keeps in its own build
// path (.build-fuzz) so no normal build ever sees those flags.
if Context.environment["SWIFTLET_FUZZ"] == "1" {
    package.targets.append(.executableTarget(name: "swiftlet-fuzz", dependencies: ["SwiftletFuzz"], path: "Fuzz/Driver"))
}

// Sanitizer and fuzz builds (tools/sanitize.sh, tools/fuzz.sh; their own build paths) need the
// library, the C ABI, the fuzz bodies and the test tiers only. Leaving out the server, the CLI,
// the benchmarks and the packages only they use halves those builds, and keeps out the
// benchmark plugin's host tool, which does not link with sanitizer flags.
if Context.environment["SWIFTLET_FUZZ"] == "1" || Context.environment["SWIFTLET_SANITIZE"] == "1" {
    let fullOnly: Set<String> = ["swiftlet", "SwiftletServer", "SwiftletBenchmarks", "swiftlet-tokbench", "GitRevision"]
    package.targets.removeAll { fullOnly.contains($0.name) }
    package.products.removeAll { $0.name == "swiftlet" }
    package.dependencies = []
}
