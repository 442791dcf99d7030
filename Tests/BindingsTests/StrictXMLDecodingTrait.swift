import SOAPRuntime
import Testing

/// Runs a suite's tests with strict decoding: conformance checks want unknown content refused,
/// while the library's default tolerates what a newer schema version may add.
struct StrictXMLDecodingTrait: SuiteTrait, TestTrait, TestScoping {
    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        try await XMLDecoding.$mode.withValue(.strict) { try await function() }
    }
}

extension Trait where Self == StrictXMLDecodingTrait {
    static var strictXMLDecoding: Self { StrictXMLDecodingTrait() }
}
