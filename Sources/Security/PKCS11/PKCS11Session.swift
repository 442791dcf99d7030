import CPKCS11
import Foundation
import X509

/// One PKCS#11 session: the C calls a signing key needs, with the memory of templates and
/// results handled here. Not thread-safe: its owner runs it on one queue (PKCS#11 forbids two
/// threads in one session at once).
final class PKCS11Session {
    let module: PKCS11Module
    let slotID: CK_SLOT_ID
    let handle: CK_SESSION_HANDLE
    private var isOpen = true

    /// A read-only serial session (spec 5.6: CKF_SERIAL_SESSION is always set).
    init(module: PKCS11Module, slotID: CK_SLOT_ID) throws {
        var handle: CK_SESSION_HANDLE = 0
        try module.call("C_OpenSession") { $0.C_OpenSession?(slotID, CK_FLAGS(CKF_SERIAL_SESSION), nil, nil, &handle) }
        self.module = module
        self.slotID = slotID
        self.handle = handle
    }

    deinit { close() }

    /// Logs out, then closes the session: the token is not left unlocked for the application's
    /// other sessions (closing only logs out when the session is the application's last).
    func close() {
        guard isOpen else { return }
        isOpen = false
        if (try? isLoggedIn()) == true { _ = module.result { $0.C_Logout?(handle) } }
        _ = module.result { $0.C_CloseSession?(handle) }
    }

    // MARK: Login

    /// Whether the session is in a logged-in (user) state.
    func isLoggedIn() throws -> Bool {
        var info = CK_SESSION_INFO()
        try module.call("C_GetSessionInfo") { $0.C_GetSessionInfo?(handle, &info) }
        return info.state == CK_STATE(CKS_RO_USER_FUNCTIONS) || info.state == CK_STATE(CKS_RW_USER_FUNCTIONS)
    }

    /// C_Login; a `nil` PIN passes NULL for a protected authentication path (pinpad). Being
    /// logged in already (by another session of this process) is success.
    func login(userType: CK_USER_TYPE, pin: [UInt8]?) throws {
        var pin = pin
        // Best effort: the caller's copy is out of reach, this one is wiped.
        defer { if pin != nil { for index in pin!.indices { pin![index] = 0 } } }
        let result: CK_RV
        if pin != nil {
            let count = CK_ULONG(pin!.count)
            result = pin!.withUnsafeMutableBufferPointer { buffer in
                module.result { $0.C_Login?(handle, userType, buffer.baseAddress, count) }
            }
        } else {
            result = module.result { $0.C_Login?(handle, userType, nil, 0) }
        }
        guard result == CKR_OK || (result == CKR_USER_ALREADY_LOGGED_IN && userType == CK_USER_TYPE(CKU_USER)) else {
            throw PKCS11Failure(function: "C_Login", returnValue: result)
        }
    }

    // MARK: Objects

    enum Attribute {
        case objectClass(CK_OBJECT_CLASS)
        case label(String)
        case id([UInt8])
        case certificateType(CK_CERTIFICATE_TYPE)

        var type: CK_ATTRIBUTE_TYPE {
            switch self {
            case .objectClass: CK_ATTRIBUTE_TYPE(CKA_CLASS)
            case .label: CK_ATTRIBUTE_TYPE(CKA_LABEL)
            case .id: CK_ATTRIBUTE_TYPE(CKA_ID)
            case .certificateType: CK_ATTRIBUTE_TYPE(CKA_CERTIFICATE_TYPE)
            }
        }

        var bytes: [UInt8] {
            switch self {
            case .objectClass(let value), .certificateType(let value): withUnsafeBytes(of: value) { Array($0) }
            case .label(let label): Array(label.utf8)
            case .id(let id): id
            }
        }
    }

    /// The handles of the objects matching every attribute.
    func findObjects(_ template: [Attribute]) throws -> [CK_OBJECT_HANDLE] {
        let values = template.map(\.bytes)
        let buffers = values.map { value -> UnsafeMutableRawPointer in
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(value.count, 1), alignment: MemoryLayout<CK_ULONG>.alignment)
            value.withUnsafeBytes { if let base = $0.baseAddress { buffer.copyMemory(from: base, byteCount: $0.count) } }
            return buffer
        }
        defer { buffers.forEach { $0.deallocate() } }
        var attributes = zip(template, zip(buffers, values)).map { attribute, stored in
            CK_ATTRIBUTE(type: attribute.type, pValue: stored.0, ulValueLen: CK_ULONG(stored.1.count))
        }
        let count = CK_ULONG(attributes.count)
        try attributes.withUnsafeMutableBufferPointer { buffer in
            try module.call("C_FindObjectsInit") { $0.C_FindObjectsInit?(handle, buffer.baseAddress, count) }
        }
        defer { _ = module.result { $0.C_FindObjectsFinal?(handle) } }
        var found: [CK_OBJECT_HANDLE] = []
        var batch = [CK_OBJECT_HANDLE](repeating: 0, count: 16)
        while true {
            var returned: CK_ULONG = 0
            try module.call("C_FindObjects") { $0.C_FindObjects?(handle, &batch, CK_ULONG(batch.count), &returned) }
            if returned == 0 { break }
            found += batch.prefix(Int(returned))
        }
        return found
    }

    /// An attribute's value; `nil` when the object does not have it or keeps it secret.
    func attribute(_ type: CK_ULONG, of object: CK_OBJECT_HANDLE) throws -> [UInt8]? {
        var query = CK_ATTRIBUTE(type: CK_ATTRIBUTE_TYPE(type), pValue: nil, ulValueLen: 0)
        let sized = module.result { $0.C_GetAttributeValue?(handle, object, &query, 1) }
        if sized == CKR_ATTRIBUTE_SENSITIVE || sized == CKR_ATTRIBUTE_TYPE_INVALID { return nil }
        guard sized == CKR_OK else { throw PKCS11Failure(function: "C_GetAttributeValue", returnValue: sized) }
        if query.ulValueLen == CK_UNAVAILABLE_INFORMATION { return nil }
        var value = [UInt8](repeating: 0, count: Int(query.ulValueLen))
        let result = value.withUnsafeMutableBytes { buffer -> CK_RV in
            query.pValue = buffer.baseAddress
            return module.result { $0.C_GetAttributeValue?(handle, object, &query, 1) }
        }
        guard result == CKR_OK else { throw PKCS11Failure(function: "C_GetAttributeValue", returnValue: result) }
        return Array(value.prefix(Int(query.ulValueLen)))
    }

    func unsignedAttribute(_ type: CK_ULONG, of object: CK_OBJECT_HANDLE) throws -> CK_ULONG? {
        guard let bytes = try attribute(type, of: object), bytes.count == MemoryLayout<CK_ULONG>.size else { return nil }
        return bytes.withUnsafeBytes { $0.loadUnaligned(as: CK_ULONG.self) }
    }

    func booleanAttribute(_ type: CK_ULONG, of object: CK_OBJECT_HANDLE) throws -> Bool {
        try attribute(type, of: object)?.first.map { $0 != 0 } ?? false
    }

    /// Every X.509 certificate object, with its label and id. Objects that do not parse are
    /// skipped (a token may carry other certificate kinds).
    func certificates() throws -> [PKCS11CertificateObject] {
        try findObjects([.objectClass(CK_OBJECT_CLASS(CKO_CERTIFICATE)), .certificateType(CK_CERTIFICATE_TYPE(CKC_X_509))]).compactMap { object in
            guard let der = try attribute(CKA_VALUE, of: object),
                  let certificate = try? Certificate(derEncoded: der) else { return nil }
            let label = try attribute(CKA_LABEL, of: object).map { String(decoding: $0, as: UTF8.self) } ?? ""
            return PKCS11CertificateObject(label: label, id: try attribute(CKA_ID, of: object) ?? [], certificate: certificate)
        }
    }

    // MARK: Mechanisms and signing

    func mechanisms() throws -> Set<CK_MECHANISM_TYPE> {
        var count: CK_ULONG = 0
        try module.call("C_GetMechanismList") { $0.C_GetMechanismList?(slotID, nil, &count) }
        var list = [CK_MECHANISM_TYPE](repeating: 0, count: Int(count))
        try module.call("C_GetMechanismList") { $0.C_GetMechanismList?(slotID, &list, &count) }
        return Set(list.prefix(Int(count)))
    }

    /// C_SignInit, then `afterInit` (the context-specific login of a CKA_ALWAYS_AUTHENTICATE
    /// key, spec 5.7), then C_Sign in one part.
    func sign(mechanism: CK_MECHANISM_TYPE, key: CK_OBJECT_HANDLE, data: [UInt8], afterInit: (() throws -> Void)?) throws -> [UInt8] {
        var parameters = CK_MECHANISM(mechanism: mechanism, pParameter: nil, ulParameterLen: 0)
        try module.call("C_SignInit") { $0.C_SignInit?(handle, &parameters, key) }
        var input = data
        // 1024 bytes hold an RSA 8192 signature; a token asking for more says so with
        // CKR_BUFFER_TOO_SMALL, which leaves the operation active (spec 5.2) for a second try.
        var signature = [UInt8](repeating: 0, count: 1024)
        var length = CK_ULONG(signature.count)
        do {
            try afterInit?()
        } catch {
            cancelSigning(key: key)
            throw error
        }
        var result = module.result { $0.C_Sign?(handle, &input, CK_ULONG(input.count), &signature, &length) }
        if result == CKR_BUFFER_TOO_SMALL {
            signature = [UInt8](repeating: 0, count: Int(length))
            result = module.result { $0.C_Sign?(handle, &input, CK_ULONG(input.count), &signature, &length) }
        }
        guard result == CKR_OK else { throw PKCS11Failure(function: "C_Sign", returnValue: result) }
        return Array(signature.prefix(Int(length)))
    }

    /// Ends a signing operation whose C_Sign will not come (the context-specific login failed):
    /// any C_Sign outcome other than CKR_BUFFER_TOO_SMALL terminates the operation (spec 5.2),
    /// so the session is free for the next signature.
    private func cancelSigning(key: CK_OBJECT_HANDLE) {
        var input: [UInt8] = [0]
        var output = [UInt8](repeating: 0, count: 1024)
        var length = CK_ULONG(output.count)
        _ = module.result { $0.C_Sign?(handle, &input, 1, &output, &length) }
    }
}
