import Foundation

/// One measured operation: run repeatedly until enough time has passed, report nanoseconds per run.
struct Benchmark {
    let name: String
    let minimumDuration: Duration
    let body: () throws -> Void

    init(_ name: String, minimumDuration: Duration = .milliseconds(800), _ body: @escaping () throws -> Void) {
        self.name = name
        self.minimumDuration = minimumDuration
        self.body = body
    }

    struct Result {
        let name: String
        let nanosecondsPerOperation: Double
        let iterations: Int
    }

    func run() throws -> Result {
        try body() // warm-up: caches, lazy statics, first allocations
        let clock = ContinuousClock()
        var iterations = 0
        let start = clock.now
        var elapsed: Duration = .zero
        repeat {
            try body()
            iterations += 1
            elapsed = clock.now - start
        } while elapsed < minimumDuration || iterations < 3
        let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        return Result(name: name, nanosecondsPerOperation: nanoseconds / Double(iterations), iterations: iterations)
    }
}

/// Benchmarks that share a set-up, and what undoes it (a sandbox to stop, a folder to remove).
struct BenchmarkGroup {
    let benchmarks: [Benchmark]
    let tearDown: () -> Void

    init(_ benchmarks: [Benchmark], tearDown: @escaping () -> Void = {}) {
        self.benchmarks = benchmarks
        self.tearDown = tearDown
    }
}

extension Benchmark.Result {
    var json: String {
        let escapedName = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "{\"name\": \"\(escapedName)\", \"ns_per_op\": \(Int(nanosecondsPerOperation.rounded())), \"iterations\": \(iterations)}"
    }

    var humanReadable: String {
        let value: String
        switch nanosecondsPerOperation {
        case ..<10_000: value = String(format: "%.0f ns", nanosecondsPerOperation)
        case ..<10_000_000: value = String(format: "%.1f µs", nanosecondsPerOperation / 1_000)
        default: value = String(format: "%.2f ms", nanosecondsPerOperation / 1_000_000)
        }
        return "\(name.padding(toLength: 34, withPad: " ", startingAt: 0)) \(value.padding(toLength: 12, withPad: " ", startingAt: 0)) (\(iterations) iterations)"
    }
}
