import COpenSSL
import Foundation
import Testing

/// The keystores' PBKDF2-HMAC-SHA256 (`ehealth_pbkdf2_hmac_sha256` in the OpenSSL shim) gives
/// what OpenSSL's own `PKCS5_PBKDF2_HMAC` gives, byte for byte.
@Suite("PBKDF2-HMAC-SHA256")
struct PBKDF2Tests {
    struct Case: Sendable, CustomTestStringConvertible {
        let password: [UInt8]
        let salt: [UInt8]
        let iterations: UInt32
        let length: Int
        var testDescription: String { "\(password.count)-byte password, \(salt.count)-byte salt, \(iterations) iterations, \(length) bytes" }
    }

    static let cases: [Case] = [
        Case(password: Array("passwd".utf8), salt: Array("salt".utf8), iterations: 1, length: 64),
        Case(password: Array("s3cret-Password!".utf8), salt: Array(0..<16), iterations: 2, length: 32),
        Case(password: Array("mot de passe é ü".utf8), salt: Array(0..<16), iterations: 1_000, length: 32),
        // Longer than SHA-256's block: the key is hashed first.
        Case(password: Array(repeating: 0x61, count: 65), salt: Array("salt".utf8), iterations: 3, length: 32),
        Case(password: Array(repeating: 0x62, count: 64), salt: Array("salt".utf8), iterations: 3, length: 32),
        Case(password: [], salt: Array("salt".utf8), iterations: 5, length: 16),
        // Several blocks, the last one cut.
        Case(password: Array("password".utf8), salt: Array("NaCl".utf8), iterations: 80, length: 70),
        Case(password: Array("bench-password".utf8), salt: Array(16..<32), iterations: 100_000, length: 32),
    ]

    @Test(arguments: cases)
    func matchesOpenSSL(_ testCase: Case) {
        var ours = [UInt8](repeating: 0, count: testCase.length)
        var openSSL = [UInt8](repeating: 0, count: testCase.length)
        let status = ehealth_pbkdf2_hmac_sha256(testCase.password, testCase.password.count, testCase.salt, testCase.salt.count,
                                                testCase.iterations, &ours, ours.count)
        let reference = testCase.password.withUnsafeBufferPointer { password in
            password.withMemoryRebound(to: CChar.self) { characters in
                PKCS5_PBKDF2_HMAC(characters.baseAddress, Int32(characters.count), testCase.salt, Int32(testCase.salt.count),
                                  Int32(testCase.iterations), EVP_sha256(), Int32(openSSL.count), &openSSL)
            }
        }
        #expect(status == 1 && reference == 1)
        #expect(ours == openSSL)
    }

    @Test func zeroIterationsIsRefused() {
        var output = [UInt8](repeating: 0, count: 32)
        #expect(ehealth_pbkdf2_hmac_sha256([1], 1, [2], 1, 0, &output, output.count) == 0)
    }
}
