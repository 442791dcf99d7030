import Foundation

/// Measures a group's benchmarks in rounds. Each benchmark is warmed up first (caches, lazy
/// statics, first allocations, the branch predictor) and its round size chosen from the warm-up;
/// then every round runs each benchmark once, in forward order on even rounds and backward on odd
/// ones, so that a burst of load from another process lands on a floor and on the rows compared
/// with it alike, and no row always runs right after the same neighbour. A row reports the median
/// of its rounds' times per operation and their spread.
struct BenchmarkRunner {
    var rounds = 7
    /// Before the first round, each benchmark runs for at least this long untimed.
    var warmUp: Duration = .milliseconds(300)

    private let clock = ContinuousClock()

    func run(_ benchmarks: [Benchmark]) throws -> [BenchmarkResult] {
        var roundSizes: [Int] = []
        for benchmark in benchmarks {
            roundSizes.append(try warmUpAndSize(benchmark))
        }
        var samples = Array(repeating: [Double](), count: benchmarks.count)
        for round in 0..<rounds {
            let order = round.isMultiple(of: 2) ? Array(benchmarks.indices) : benchmarks.indices.reversed()
            for index in order {
                let benchmark = benchmarks[index]
                // A neighbour ran in between: one untimed run brings this one's data back into the caches.
                try benchmark.runOnce()
                samples[index].append(try measure(benchmark, iterations: roundSizes[index]))
            }
        }
        return benchmarks.indices.map { index in
            BenchmarkResult(name: benchmarks[index].name, roundNanosecondsPerOperation: samples[index],
                            iterations: roundSizes[index] * rounds)
        }
    }

    /// Runs the benchmark untimed for `warmUp`, then returns how many iterations fill a round.
    private func warmUpAndSize(_ benchmark: Benchmark) throws -> Int {
        var iterations = 0
        var timed: Duration = .zero
        let start = clock.now
        repeat {
            try benchmark.setUp?()
            let iterationStart = clock.now
            try benchmark.body()
            timed += clock.now - iterationStart
            iterations += 1
        } while clock.now - start < warmUp || iterations < 2
        return max(1, Int((benchmark.roundDuration / (timed / iterations)).rounded(.up)))
    }

    private func measure(_ benchmark: Benchmark, iterations: Int) throws -> Double {
        guard let setUp = benchmark.setUp else {
            let start = clock.now
            for _ in 0..<iterations {
                try benchmark.body()
            }
            return (clock.now - start).nanoseconds / Double(iterations)
        }
        var timed: Duration = .zero
        for _ in 0..<iterations {
            try setUp()
            let start = clock.now
            try benchmark.body()
            timed += clock.now - start
        }
        return timed.nanoseconds / Double(iterations)
    }
}

extension Duration {
    var nanoseconds: Double {
        Double(components.seconds) * 1e9 + Double(components.attoseconds) / 1e9
    }
}
