import Foundation

/// One measured operation. `roundDuration` is how long one round of it runs at least: long
/// enough that a round's mean is steady (an RSA key generation varies by several times from one
/// key to the next, so its rounds hold many). `setUp`, when given, runs untimed before every
/// run of `body` (a certificate to revoke, a keystore to renew).
struct Benchmark {
    let name: String
    let roundDuration: Duration
    let setUp: (() throws -> Void)?
    let body: () throws -> Void

    init(_ name: String, roundDuration: Duration = .milliseconds(150), setUp: (() throws -> Void)? = nil,
         _ body: @escaping () throws -> Void) {
        self.name = name
        self.roundDuration = roundDuration
        self.setUp = setUp
        self.body = body
    }

    /// One untimed run, set-up included.
    func runOnce() throws {
        try setUp?()
        try body()
    }
}

/// Benchmarks that share a set-up, and what undoes it (a sandbox to stop, a folder to remove).
/// The benchmarks of a group are measured in alternating rounds (see `BenchmarkRunner`), so a
/// floor and the rows compared with it see the same machine.
struct BenchmarkGroup {
    let benchmarks: [Benchmark]
    let tearDown: () -> Void

    init(_ benchmarks: [Benchmark], tearDown: @escaping () -> Void = {}) {
        self.benchmarks = benchmarks
        self.tearDown = tearDown
    }
}
