import Foundation

/// A benchmark's figures over its rounds: the median time per operation, and the spread,
/// (slowest round - fastest round) / median, which says how far the figure can be trusted.
struct BenchmarkResult {
    /// A spread above this is reported: the row moved more than the effects the project tracks.
    static let spreadLimit = 0.10

    let name: String
    let nanosecondsPerOperation: Double
    let spread: Double
    let iterations: Int

    init(name: String, roundNanosecondsPerOperation rounds: [Double], iterations: Int) {
        let sorted = rounds.sorted()
        let middle = sorted.count / 2
        let median = sorted.count.isMultiple(of: 2) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
        self.name = name
        nanosecondsPerOperation = median
        spread = median > 0 ? (sorted.last! - sorted.first!) / median : 0
        self.iterations = iterations
    }

    var isUnstable: Bool { spread > Self.spreadLimit }

    var json: String {
        let escapedName = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "{\"name\": \"\(escapedName)\", \"ns_per_op\": \(Int(nanosecondsPerOperation.rounded())), \"iterations\": \(iterations), \"spread\": \(String(format: "%.4f", spread))}"
    }

    var humanReadable: String {
        let value: String
        switch nanosecondsPerOperation {
        case ..<10_000: value = String(format: "%.0f ns", nanosecondsPerOperation)
        case ..<10_000_000: value = String(format: "%.1f µs", nanosecondsPerOperation / 1_000)
        default: value = String(format: "%.2f ms", nanosecondsPerOperation / 1_000_000)
        }
        let stability = isUnstable ? String(format: "  UNSTABLE: spread above %.0f%%", Self.spreadLimit * 100) : ""
        return "\(name.padding(toLength: 34, withPad: " ", startingAt: 0)) \(value.padding(toLength: 12, withPad: " ", startingAt: 0)) "
            + String(format: "±%4.1f%%", spread * 100) + "  (\(iterations) iterations)" + stability
    }
}
