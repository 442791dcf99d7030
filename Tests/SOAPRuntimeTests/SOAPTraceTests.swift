import Foundation
import Testing
@testable import SOAPRuntime

@Suite struct SOAPTraceTests {
    private func files(in directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    private func permissions(_ url: URL) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func exchangesAreNumberedFromOneAndShareTheirNumber() async throws {
        let root = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let directory = root.appendingPathComponent("trace/nested")
        let trace = try SOAPTrace(directory: directory)

        let first = try await trace.recordRequest(operation: "getGenericOrganizationTypes", Data("<q1/>".utf8))
        let second = try await trace.recordRequest(operation: "generateContract", Data("<q2/>".utf8))
        try await trace.recordResponse(sequence: first, operation: "getGenericOrganizationTypes", Data("<r1/>".utf8))
        try await trace.recordResponse(sequence: second, operation: "generateContract", Data("<r2/>".utf8))

        #expect(try files(in: directory) == [
            "001-getGenericOrganizationTypes-request.xml", "001-getGenericOrganizationTypes-response.xml",
            "002-generateContract-request.xml", "002-generateContract-response.xml",
        ])
        #expect(try Data(contentsOf: directory.appendingPathComponent("002-generateContract-response.xml")) == Data("<r2/>".utf8))
        #expect(try permissions(directory) == 0o700)
        #expect(try permissions(directory.appendingPathComponent("001-getGenericOrganizationTypes-request.xml")) == 0o600)
    }

    @Test func anExistingTraceIsContinuedAfterItsHighestNumber() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in ["002-revoke-request.xml", "011-getCertificate-response.xml", "notes.txt", "9x-odd.xml", "latest-request.xml"] {
            try Data().write(to: directory.appendingPathComponent(name))
        }
        let trace = try SOAPTrace(directory: directory)
        let sequence = try await trace.recordRequest(operation: "getCertificate", Data("<q/>".utf8))
        #expect(sequence == 12)
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("012-getCertificate-request.xml").path))
    }

    @Test func concurrentCallsGetDistinctNumbers() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let trace = try SOAPTrace(directory: directory)
        let numbers = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<20 {
                group.addTask { try await trace.recordRequest(operation: "getCertificate", Data("<q/>".utf8)) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(numbers.sorted() == Array(1...20))
    }

    @Test func anOperationNameCannotLeaveTheFolder() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let trace = try SOAPTrace(directory: directory)
        _ = try await trace.recordRequest(operation: "../../etc/passwd", Data("<q/>".utf8))
        #expect(try files(in: directory) == ["001-.._.._etc_passwd-request.xml"])
    }

    @Test func aFileInPlaceOfTheFolderIsAnError() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("file")
        try Data().write(to: file)
        #expect(throws: (any Error).self) { try SOAPTrace(directory: file) }
    }
}
