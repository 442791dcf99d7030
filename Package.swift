// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "ehealth-certmanager",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "SOAPRuntime", targets: ["SOAPRuntime"]),
        .library(name: "Generated", targets: ["Generated"]),
        .library(name: "Security", targets: ["Security"]),
        .library(name: "CertManagerKit", targets: ["CertManagerKit"]),
        .library(name: "Sandbox", targets: ["Sandbox"]),
        .library(name: "SandboxHTTP", targets: ["SandboxHTTP"]),
        .library(name: "WSDLCodegen", targets: ["WSDLCodegen"]),
        .executable(name: "wsdl2swift", targets: ["wsdl2swift"]),
        .executable(name: "ehcert", targets: ["ehcert"]),
        .executable(name: "ehcert-sandbox", targets: ["ehcert-sandbox"]),
        .executable(name: "ehcert-bench", targets: ["ehcert-bench"]),
        .plugin(name: "GenerateBindings", targets: ["GenerateBindings"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "4.5.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        // The sandbox's HTTP server only.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        // Hummingbird's own dependency, named to stop the sandbox gracefully.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // The sandbox's state: SQLite (the system's libsqlite3) in WAL mode.
        .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
    ],
    targets: [
        // C libraries, each fenced behind one thin Swift wrapper.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        // PKCS#11 declarations of our own; modules (eID, SoftHSM2, HSMs) are loaded with dlopen.
        .target(name: "CPKCS11", path: "Sources/CPKCS11"),

        // The hand-written runtime that generated bindings target.
        .target(name: "SOAPRuntime", dependencies: ["CLibXML2"]),

        // wsdl2swift: a library pipeline (parse -> schema model -> Swift model -> text) and a thin CLI.
        .target(name: "WSDLCodegen", dependencies: ["SOAPRuntime"]),
        .executableTarget(name: "wsdl2swift", dependencies: [
            "WSDLCodegen",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .plugin(name: "GenerateBindings", capability: .buildTool(), dependencies: ["wsdl2swift"]),

        // Bindings for Schemas/*.wsdl, generated at build time; never committed.
        // Its folder holds only the module's anchor file; the generated sources live in the build folder.
        .target(name: "Generated", dependencies: ["SOAPRuntime"], path: "Sources/Bindings", plugins: ["GenerateBindings"]),

        .target(name: "Security", dependencies: [
            "CLibXML2", "COpenSSL", "CPKCS11", "SOAPRuntime", "Generated",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
        ]),
        .target(name: "CertManagerKit", dependencies: [
            "SOAPRuntime", "Generated", "Security",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // A faithful local CertRA/EtkRA with a test PKI: the engine (rules, PKI, state), which
        // `ehcert demo` and the benchmarks run in-process, without any HTTP stack...
        .target(name: "Sandbox", dependencies: [
            "SOAPRuntime", "Generated", "Security",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // ...and its HTTP server (plain or TLS, network faults), for ehcert-sandbox and the tests.
        .target(name: "SandboxHTTP", dependencies: [
            "Sandbox",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "ehcert-sandbox", dependencies: [
            "Sandbox", "SandboxHTTP",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "ehcert", dependencies: [
            "CertManagerKit", "Sandbox",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "ehcert-bench", dependencies: [
            "WSDLCodegen", "SOAPRuntime", "Generated", "CLibXML2", "COpenSSL", "Security", "CertManagerKit", "Sandbox",
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ]),

        // Bindings generated from the generator's test fixture WSDL, to prove they compile and round-trip.
        .target(name: "FixtureBindings", dependencies: ["SOAPRuntime"], path: "Tests/FixtureBindings",
                exclude: ["wsdl2swift.path"], plugins: ["GenerateBindings"]),

        // A child process for the crash tests: runs a flow and holds still at a chosen step boundary
        // so that the test can SIGKILL it there.
        .executableTarget(name: "flow-crash-child", dependencies: ["CertManagerKit", "Sandbox", "Security"],
                          path: "Tests/FlowCrashChild"),

        // libFuzzer targets (scripts/fuzz.sh): the entry logic, and one small executable each. Built
        // normally they run their target once per file named; built with -sanitize=fuzzer and
        // -D FUZZING they hand it to libFuzzer.
        .target(name: "FuzzTargets", dependencies: [
            "SOAPRuntime", "Generated", "Security", "Sandbox",
            .product(name: "_CryptoExtras", package: "swift-crypto"),
            .product(name: "X509", package: "swift-certificates"),
        ], path: "Tests/Fuzz/FuzzTargets"),
        .executableTarget(name: "fuzz-soap-response", dependencies: ["FuzzTargets"], path: "Tests/Fuzz/SOAPResponse"),
        .executableTarget(name: "fuzz-soap-fault", dependencies: ["FuzzTargets"], path: "Tests/Fuzz/SOAPFault"),
        .executableTarget(name: "fuzz-signature", dependencies: ["FuzzTargets"], path: "Tests/Fuzz/Signature"),
        .executableTarget(name: "fuzz-pkcs12", dependencies: ["FuzzTargets"], path: "Tests/Fuzz/PKCS12"),
        .executableTarget(name: "fuzz-etk", dependencies: ["FuzzTargets"], path: "Tests/Fuzz/ETK"),
        .executableTarget(name: "fuzz-csr-dn", dependencies: ["FuzzTargets"], path: "Tests/Fuzz/CSRDistinguishedName"),
        .executableTarget(name: "fuzz-sandbox-request", dependencies: ["FuzzTargets"], path: "Tests/Fuzz/SandboxRequest"),

        .testTarget(name: "SOAPRuntimeTests", dependencies: ["SOAPRuntime"]),
        .testTarget(name: "CertManagerKitTests", dependencies: [
            "CertManagerKit", "Sandbox", "SandboxHTTP", "Security", "Generated", "SOAPRuntime",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "X509", package: "swift-certificates"),
        ]),
        .testTarget(name: "WSDLCodegenTests", dependencies: ["WSDLCodegen"], exclude: ["Golden"]),
        .testTarget(name: "BindingsTests", dependencies: ["Generated", "FixtureBindings", "SOAPRuntime", "CLibXML2"]),
        .testTarget(name: "SecurityTests", dependencies: ["Security", "COpenSSL"]),
        .testTarget(name: "InteropTests", dependencies: ["Generated", "SOAPRuntime"]),
        .testTarget(name: "FuzzTargetsTests", dependencies: [
            "FuzzTargets", "Sandbox", "Security", "Generated", "SOAPRuntime",
            .product(name: "_CryptoExtras", package: "swift-crypto"),
            .product(name: "X509", package: "swift-certificates"),
        ]),
        .testTarget(name: "SandboxTests", dependencies: [
            "Sandbox", "SandboxHTTP", "Security", "Generated", "SOAPRuntime",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ]),
    ]
)
