import Foundation
import Synchronization

/// Runs async code to completion from libFuzzer's synchronous callback. The callback's thread
/// is not one of the concurrency pool's, so waiting on it cannot starve the task it waits for.
///
/// It returns only once the task has also released what it captured (the input among it):
/// libFuzzer counts allocations per input, and a task still tearing down after the result is
/// handed over would look like a leak of every input.
func runBlocking<Value: Sendable>(_ body: @escaping @Sendable () async -> Value) -> Value {
    let result = Mutex<Value?>(nil)
    let done = DispatchSemaphore(value: 0)
    weak var released: Sentinel?
    do {
        let sentinel = Sentinel()
        released = sentinel
        Task {
            let value = await body()
            result.withLock { $0 = value }
            withExtendedLifetime(sentinel) {}
            done.signal()
        }
    }
    done.wait()
    while released != nil { sched_yield() }
    return result.withLock { $0! }
}

/// Freed with the task's captures.
private final class Sentinel: Sendable {}
