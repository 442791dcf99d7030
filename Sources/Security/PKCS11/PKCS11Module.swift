import CPKCS11
import Foundation
import X509
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A PKCS#11 module (a shared library giving access to smart cards or an HSM), loaded with
/// dlopen and initialised once per process for use from several threads (CKF_OS_LOCKING_OK).
///
/// The Belgian eID middleware (eid-mw, <https://eid.belgium.be>) installs its module as
/// `/usr/lib/x86_64-linux-gnu/libbeidpkcs11.so.0` on Debian and Ubuntu (package
/// `libbeidpkcs11-0`, pulled in by `eid-mw`), as `/usr/lib/libbeidpkcs11.so` or
/// `/usr/lib64/libbeidpkcs11.so` on other distributions, and as
/// `/Library/Belgium Identity Card/Pkcs11/beid-pkcs11.bundle/Contents/MacOS/libbeidpkcs11.dylib`
/// on macOS. Its token is labelled `BELPIC`; keys and certificates `Authentication` and
/// `Signature`, certificates also `CA` and `Root`. Tests use SoftHSM2's module instead
/// (`/usr/lib/softhsm/libsofthsm2.so`) with tokens laid out the same way.
public final class PKCS11Module: @unchecked Sendable {
    // @unchecked: after `load` the library handle and its function table never change, and
    // the module was initialised with CKF_OS_LOCKING_OK, which makes it callable from any thread.

    /// Where the Belgian eID middleware puts its module, most likely first.
    public static let belgianEIDModulePaths = [
        "/usr/lib/x86_64-linux-gnu/libbeidpkcs11.so.0",
        "/usr/lib/aarch64-linux-gnu/libbeidpkcs11.so.0",
        "/usr/lib/libbeidpkcs11.so",
        "/usr/lib64/libbeidpkcs11.so",
        "/usr/local/lib/libbeidpkcs11.so",
        "/Library/Belgium Identity Card/Pkcs11/beid-pkcs11.bundle/Contents/MacOS/libbeidpkcs11.dylib",
    ]

    /// The first installed Belgian eID module, if any.
    public static var installedBelgianEIDModulePath: String? {
        belgianEIDModulePaths.first { FileManager.default.fileExists(atPath: $0) }
    }

    public static let softHSM2ModulePath = "/usr/lib/softhsm/libsofthsm2.so"

    public struct Info: Sendable, Hashable {
        public let cryptokiVersion: String
        public let manufacturer: String
        public let libraryDescription: String
        public let libraryVersion: String
    }

    public let path: String
    public let info: Info
    let functions: UnsafeMutablePointer<CK_FUNCTION_LIST>
    private let handle: UnsafeMutableRawPointer

    private static let registryLock = NSLock()
    nonisolated(unsafe) private static var registry: [String: PKCS11Module] = [:]

    /// Loads and initialises the module at `path`, or returns the one already loaded: PKCS#11
    /// allows one C_Initialize per process, so a module is shared, and finalised only as the
    /// process exits.
    public static func load(path: String) throws -> PKCS11Module {
        let key = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        registryLock.lock()
        defer { registryLock.unlock() }
        if let loaded = registry[key] { return loaded }
        let module = try PKCS11Module(path: path)
        if registry.isEmpty {
            // Registered after the first module's load, so it runs before that module's own exit
            // handlers and before OpenSSL's: SoftHSM2, left initialised, tears its crypto down at
            // exit after OpenSSL's cleanup and crashes the exiting process.
            atexit { PKCS11Module.finalizeAll() }
        }
        registry[key] = module
        return module
    }

    /// C_Finalize for every loaded module, once, as the process exits.
    private static func finalizeAll() {
        registryLock.lock()
        let modules = Array(registry.values)
        registry.removeAll()
        registryLock.unlock()
        for module in modules { _ = module.functions.pointee.C_Finalize?(nil) }
    }

    /// The installed Belgian eID module.
    public static func belgianEID() throws -> PKCS11Module {
        guard let path = installedBelgianEIDModulePath else {
            throw SecurityError(.pkcs11ModuleUnavailable, "the Belgian eID middleware is not installed (no libbeidpkcs11 in \(belgianEIDModulePaths.joined(separator: ", "))); install eid-mw from https://eid.belgium.be")
        }
        return try load(path: path)
    }

    private init(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw SecurityError(.pkcs11ModuleUnavailable, "no PKCS#11 module at \(path)")
        }
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown reason"
            throw SecurityError(.pkcs11ModuleUnavailable, "cannot load the PKCS#11 module \(path): \(reason)")
        }
        guard let symbol = dlsym(handle, "C_GetFunctionList") else {
            dlclose(handle)
            throw SecurityError(.pkcs11ModuleUnavailable, "\(path) is not a PKCS#11 module (no C_GetFunctionList)")
        }
        let getFunctionList = unsafeBitCast(symbol, to: CK_C_GetFunctionList.self)
        var list: UnsafeMutablePointer<CK_FUNCTION_LIST>?
        let listed = getFunctionList(&list)
        guard listed == CKR_OK, let list, list.pointee.version.major == 2 else {
            dlclose(handle)
            throw SecurityError(.pkcs11ModuleUnavailable, "\(path) gives no PKCS#11 v2 function list (\(PKCS11Failure.name(of: listed)))")
        }
        var arguments = CK_C_INITIALIZE_ARGS(CreateMutex: nil, DestroyMutex: nil, LockMutex: nil, UnlockMutex: nil,
                                             flags: CK_FLAGS(CKF_OS_LOCKING_OK), pReserved: nil)
        let initialised = withUnsafeMutablePointer(to: &arguments) { list.pointee.C_Initialize?(UnsafeMutableRawPointer($0)) ?? CKR_FUNCTION_NOT_SUPPORTED }
        // Already initialised by another part of the process: the module is usable as it is.
        guard initialised == CKR_OK || initialised == CKR_CRYPTOKI_ALREADY_INITIALIZED else {
            dlclose(handle)
            throw SecurityError(.pkcs11ModuleUnavailable, "the PKCS#11 module \(path) does not initialise: C_Initialize returned \(PKCS11Failure.name(of: initialised))")
        }
        var info = CK_INFO()
        _ = list.pointee.C_GetInfo?(&info)
        self.info = Info(
            cryptokiVersion: "\(info.cryptokiVersion.major).\(info.cryptokiVersion.minor)",
            manufacturer: PKCS11Text.padded(info.manufacturerID),
            libraryDescription: PKCS11Text.padded(info.libraryDescription),
            libraryVersion: "\(info.libraryVersion.major).\(info.libraryVersion.minor)")
        self.path = path
        self.handle = handle
        self.functions = list
    }

    // MARK: Slots and tokens

    /// The slots, by default only those holding a token. Asked afresh each time, so a card
    /// inserted since the last call shows up.
    public func slots(withTokenOnly: Bool = true) throws -> [PKCS11Slot] {
        do {
            // A slot that cannot describe itself (card pulled between the list and the question,
            // a token being re-initialised) is left out rather than failing the whole list.
            return try slotIDs(tokenPresent: withTokenOnly).compactMap { id in try? slot(id: id) }
        } catch let failure as PKCS11Failure {
            throw failure.error("cannot list the readers of \(path)")
        }
    }

    /// The slot holding the selected token.
    public func slot(_ selector: PKCS11TokenSelector) throws -> PKCS11Slot {
        let slots = try slots(withTokenOnly: true)
        guard let slot = slots.first(where: selector.matches) else {
            let present = slots.compactMap { $0.token?.label }.map { "'\($0)'" }
            throw SecurityError(.pkcs11TokenNotPresent, "\(selector.description.prefix(1).uppercased())\(selector.description.dropFirst()) is not present (tokens present: \(present.isEmpty ? "none" : present.joined(separator: ", "))); insert the card and try again")
        }
        return slot
    }

    /// The certificates on the selected token, read without logging in.
    public func certificates(on selector: PKCS11TokenSelector = .first) throws -> [PKCS11CertificateObject] {
        let slot = try slot(selector)
        do {
            let session = try PKCS11Session(module: self, slotID: CK_SLOT_ID(slot.id))
            defer { session.close() }
            return try session.certificates()
        } catch let failure as PKCS11Failure {
            throw failure.error("cannot read the certificates on \(selector)")
        }
    }

    func slotIDs(tokenPresent: Bool) throws -> [CK_SLOT_ID] {
        for _ in 0..<4 {
            var count: CK_ULONG = 0
            try call("C_GetSlotList") { $0.C_GetSlotList?(CK_BBOOL(tokenPresent ? CK_TRUE : CK_FALSE), nil, &count) }
            var ids = [CK_SLOT_ID](repeating: 0, count: Int(count))
            let result = functions.pointee.C_GetSlotList?(CK_BBOOL(tokenPresent ? CK_TRUE : CK_FALSE), &ids, &count) ?? CKR_FUNCTION_NOT_SUPPORTED
            if result == CKR_BUFFER_TOO_SMALL { continue } // a reader appeared in between
            guard result == CKR_OK else { throw PKCS11Failure(function: "C_GetSlotList", returnValue: result) }
            return Array(ids.prefix(Int(count)))
        }
        throw PKCS11Failure(function: "C_GetSlotList", returnValue: CKR_BUFFER_TOO_SMALL)
    }

    func slot(id: CK_SLOT_ID) throws -> PKCS11Slot {
        var slotInfo = CK_SLOT_INFO()
        try call("C_GetSlotInfo") { $0.C_GetSlotInfo?(id, &slotInfo) }
        var token: PKCS11TokenInfo?
        if slotInfo.flags & CK_FLAGS(CKF_TOKEN_PRESENT) != 0 {
            token = try tokenInfo(slotID: id)
        }
        return PKCS11Slot(
            id: UInt(id), description: PKCS11Text.padded(slotInfo.slotDescription), manufacturer: PKCS11Text.padded(slotInfo.manufacturerID),
            isRemovable: slotInfo.flags & CK_FLAGS(CKF_REMOVABLE_DEVICE) != 0, isHardware: slotInfo.flags & CK_FLAGS(CKF_HW_SLOT) != 0,
            token: token)
    }

    func tokenInfo(slotID: CK_SLOT_ID) throws -> PKCS11TokenInfo {
        var info = CK_TOKEN_INFO()
        try call("C_GetTokenInfo") { $0.C_GetTokenInfo?(slotID, &info) }
        func flag(_ value: CK_FLAGS) -> Bool { info.flags & value != 0 }
        return PKCS11TokenInfo(
            label: PKCS11Text.padded(info.label), manufacturer: PKCS11Text.padded(info.manufacturerID),
            model: PKCS11Text.padded(info.model), serialNumber: PKCS11Text.padded(info.serialNumber),
            isInitialized: flag(CK_FLAGS(CKF_TOKEN_INITIALIZED)), isLoginRequired: flag(CK_FLAGS(CKF_LOGIN_REQUIRED)),
            hasProtectedAuthenticationPath: flag(CK_FLAGS(CKF_PROTECTED_AUTHENTICATION_PATH)),
            isUserPINCountLow: flag(CK_FLAGS(CKF_USER_PIN_COUNT_LOW)), isUserPINFinalTry: flag(CK_FLAGS(CKF_USER_PIN_FINAL_TRY)),
            isUserPINLocked: flag(CK_FLAGS(CKF_USER_PIN_LOCKED)))
    }

    /// Calls one function of the table; anything but CKR_OK becomes a `PKCS11Failure`.
    func call(_ function: String, _ body: (CK_FUNCTION_LIST) -> CK_RV?) throws {
        let result = body(functions.pointee) ?? CKR_FUNCTION_NOT_SUPPORTED
        guard result == CKR_OK else { throw PKCS11Failure(function: function, returnValue: result) }
    }

    /// Like `call`, for functions whose non-OK results the caller interprets.
    func result(_ body: (CK_FUNCTION_LIST) -> CK_RV?) -> CK_RV {
        body(functions.pointee) ?? CKR_FUNCTION_NOT_SUPPORTED
    }
}

/// PKCS#11 strings: fixed-size, blank-padded, not NUL-terminated (spec 3.2).
enum PKCS11Text {
    static func padded<T>(_ field: T) -> String {
        withUnsafeBytes(of: field) { raw in
            var bytes = Array(raw)
            if let end = bytes.firstIndex(of: 0) { bytes.removeSubrange(end...) }
            while let last = bytes.last, last == 0x20 { bytes.removeLast() }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
