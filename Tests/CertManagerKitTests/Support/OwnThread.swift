import Foundation

/// Runs blocking work (waiting for a child process) on a thread of its own, so that it never
/// holds one of the few threads of Swift's cooperative pool that other tests need.
enum OwnThread {
    static func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }
}

extension EHCertExecutable {
    /// Runs ehcert to its end on a thread of its own, with `environment` added and colour off.
    static func runOnOwnThread(_ arguments: [String], environment: [String: String] = [:]) async throws -> Output {
        let environment = ["NO_COLOR": "1"].merging(environment) { $1 }
        return try await OwnThread.run { try run(arguments, environment: environment) }
    }
}
