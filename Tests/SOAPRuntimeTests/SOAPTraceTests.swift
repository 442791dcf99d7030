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

@Suite struct SOAPTraceBestEffortTests {
    struct Refused: Error {}

    @Test func aTraceThatCannotBeWrittenNeverCostsTheAnswer() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let warnings = WarningLog()
        let trace = try SOAPTrace(directory: directory, writer: { _, _ in throw Refused() }, onFailure: { warnings.append($0) })
        let client = SOAPClient(endpoint: URL(string: "https://services-acpt.ehealth.fgov.be/CertRa/v2")!,
                                transport: FakeTransport(body: Fixtures.echoResponse(text: "kept")), trace: trace)
        #expect(try await client.call(Echo.operation, Echo(id: "_1", text: "ping")).text == "kept")
        #expect(try await client.call(Echo.operation, Echo(id: "_2", text: "ping")).text == "kept")
        #expect(await trace.failedWrites == 4)
        // Said once, not four times.
        #expect(warnings.lines.count == 1)
        #expect(warnings.lines.first?.contains("001-echo-request.xml") == true)
    }

    @Test func traceFilesAreCreatedPrivateAndNeverReplaceAnExistingFile() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let planted = directory.appendingPathComponent("001-echo-response.xml")
        try Data("planted".utf8).write(to: planted)
        let warnings = WarningLog()
        let trace = try SOAPTrace(directory: directory, onFailure: { warnings.append($0) })
        // The planted file counts as number 1, so the next exchange is 2; aim at 1 on purpose.
        await trace.recordResponse(sequence: 1, operation: "echo", Data("<r/>".utf8))
        #expect(try Data(contentsOf: planted) == Data("planted".utf8))
        #expect(warnings.lines.count == 1)
        let sequence = await trace.recordRequest(operation: "echo", Data("<q/>".utf8))
        let written = trace.fileURL(sequence: sequence, operation: "echo", direction: .request)
        let mode = try (FileManager.default.attributesOfItem(atPath: written.path)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
    }
}

final class WarningLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ line: String) { lock.withLock { stored.append(line) } }
    var lines: [String] { lock.withLock { stored } }
}
