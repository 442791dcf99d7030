import Foundation
import Synchronization

/// Runs async code to completion from libFuzzer's synchronous callback. The callback's thread
/// is not one of the concurrency pool's, so waiting on it cannot starve the task it waits for.
func runBlocking<Value: Sendable>(_ body: @escaping @Sendable () async -> Value) -> Value {
    let result = Mutex<Value?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task {
        let value = await body()
        result.withLock { $0 = value }
        done.signal()
    }
    done.wait()
    return result.withLock { $0! }
}
