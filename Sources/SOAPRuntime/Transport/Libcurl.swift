#if os(Linux) && (arch(x86_64) || arch(arm64))
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// libcurl's easy interface, for the one thing FoundationNetworking cannot do on Linux: trust
/// an extra certificate authority.
///
/// swift-corelibs-foundation drives libcurl but never lets a caller set its CA bundle: the
/// `URLSessionCertificateAuthorityInfoFile` variable is read only under `#if os(Android)`
/// (`_EasyHandle.setCARootBundlePath` in EasyHandle.swift), no server-trust challenge reaches
/// the delegate, and libcurl itself ignores `SSL_CERT_FILE` and `CURL_CA_BUNDLE` once its
/// built-in bundle path is set. So the exchange is done here, on the very `libcurl.so.4` that
/// FoundationNetworking already loaded, through its public API with `CURLOPT_CAINFO_BLOB`.
///
/// The library is reached with `dlopen`/`dlsym` because SOAPRuntime has no C module for
/// libcurl. `curl_easy_setopt` and `curl_easy_getinfo` are variadic; they are called through
/// fixed-argument function types with one integer- or pointer-class argument, which the
/// SysV x86-64 and AArch64 (non-Apple) calling conventions pass exactly like the variadic
/// call would (hence the architecture condition above).
///
/// Nothing here is process-wide beyond `curl_global_init`, which libcurl reference-counts
/// and FoundationNetworking calls as well; no environment variable is read or written.
final class Libcurl: @unchecked Sendable {
    // Immutable after init; libcurl's easy handles are used by one thread at a time.
    private typealias EasyInit = @convention(c) () -> OpaquePointer?
    private typealias EasyCleanup = @convention(c) (OpaquePointer?) -> Void
    private typealias EasyPerform = @convention(c) (OpaquePointer?) -> Int32
    private typealias EasySetoptLong = @convention(c) (OpaquePointer?, Int32, Int) -> Int32
    private typealias EasySetoptOffset = @convention(c) (OpaquePointer?, Int32, Int64) -> Int32
    private typealias EasySetoptPointer = @convention(c) (OpaquePointer?, Int32, UnsafeRawPointer?) -> Int32
    private typealias EasyGetinfoPointer = @convention(c) (OpaquePointer?, Int32, UnsafeMutableRawPointer?) -> Int32
    private typealias EasyStrerror = @convention(c) (Int32) -> UnsafePointer<CChar>?
    private typealias SlistAppend = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> OpaquePointer?
    private typealias SlistFreeAll = @convention(c) (OpaquePointer?) -> Void
    private typealias GlobalInit = @convention(c) (Int) -> Int32
    private typealias Version = @convention(c) () -> UnsafePointer<CChar>?

    private let easyInit: EasyInit
    private let easyCleanup: EasyCleanup
    private let easyPerform: EasyPerform
    private let setoptLong: EasySetoptLong
    private let setoptOffset: EasySetoptOffset
    private let setoptPointer: EasySetoptPointer
    private let getinfoPointer: EasyGetinfoPointer
    private let strerror: EasyStrerror
    private let slistAppend: SlistAppend
    private let slistFreeAll: SlistFreeAll
    let version: String

    /// curl/curl.h: option = type base + number.
    private enum Option {
        static let writeData: Int32 = 10_001
        static let url: Int32 = 10_002
        static let errorBuffer: Int32 = 10_010
        static let writeFunction: Int32 = 20_011
        static let httpHeader: Int32 = 10_023
        static let noProgress: Int32 = 43
        static let followLocation: Int32 = 52
        static let transferInfoData: Int32 = 10_057
        static let sslVerifyPeer: Int32 = 64
        static let sslVerifyHost: Int32 = 81
        static let noSignal: Int32 = 99
        static let maximumFileSize: Int32 = 30_117
        static let postFieldSize: Int32 = 30_120
        static let timeoutMilliseconds: Int32 = 155
        static let copyPostFields: Int32 = 10_165
        static let transferInfoFunction: Int32 = 20_219
        static let caInfoBlob: Int32 = 40_309
    }

    private enum Info {
        static let responseCode: Int32 = 0x200000 + 2
        static let contentType: Int32 = 0x100000 + 18
        static let caInfo: Int32 = 0x100000 + 61
    }

    private enum Code {
        static let unknownOption: Int32 = 48
        static let notBuiltIn: Int32 = 4
        static let timedOut: Int32 = 28
        static let abortedByCallback: Int32 = 42
        static let peerFailedVerification: Int32 = 60
        static let fileSizeExceeded: Int32 = 63
        static let caCertificateBadFile: Int32 = 77
    }

    private static let globalSSLAndWin32: Int = 3  // CURL_GLOBAL_ALL
    private static let blobCopy: UInt32 = 1  // CURL_BLOB_COPY
    private static let errorSize = 256  // CURL_ERROR_SIZE

    /// curl/easy.h `struct curl_blob`.
    private struct Blob {
        var data: UnsafeMutableRawPointer?
        var length: Int
        var flags: UInt32
    }

    /// Loaded once; a failure is remembered and reported to every caller.
    static let shared: Result<Libcurl, SOAPError> = Result { () throws(SOAPError) in try Libcurl() }

    private init() throws(SOAPError) {
        guard let library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "not found"
            throw SOAPError(.transport, "extra trust roots need libcurl (libcurl.so.4): \(reason)")
        }
        func symbol<Function>(_ name: String, as type: Function.Type) throws(SOAPError) -> Function {
            guard let address = dlsym(library, name) else {
                throw SOAPError(.transport, "libcurl.so.4 has no \(name)")
            }
            return unsafeBitCast(address, to: type)
        }
        easyInit = try symbol("curl_easy_init", as: EasyInit.self)
        easyCleanup = try symbol("curl_easy_cleanup", as: EasyCleanup.self)
        easyPerform = try symbol("curl_easy_perform", as: EasyPerform.self)
        setoptLong = try symbol("curl_easy_setopt", as: EasySetoptLong.self)
        setoptOffset = try symbol("curl_easy_setopt", as: EasySetoptOffset.self)
        setoptPointer = try symbol("curl_easy_setopt", as: EasySetoptPointer.self)
        getinfoPointer = try symbol("curl_easy_getinfo", as: EasyGetinfoPointer.self)
        strerror = try symbol("curl_easy_strerror", as: EasyStrerror.self)
        slistAppend = try symbol("curl_slist_append", as: SlistAppend.self)
        slistFreeAll = try symbol("curl_slist_free_all", as: SlistFreeAll.self)
        version = try symbol("curl_version", as: Version.self)().map { String(cString: $0) } ?? "libcurl"
        // Reference-counted, and thread-safe from libcurl 7.84 on; FoundationNetworking calls it too.
        let globalInit = try symbol("curl_global_init", as: GlobalInit.self)
        let code = globalInit(Self.globalSSLAndWin32)
        guard code == 0 else {
            throw SOAPError(.transport, "curl_global_init failed: \(message(for: code))")
        }
    }

    /// The CA bundle libcurl was built to use, e.g. `/etc/ssl/certs/ca-certificates.crt`.
    var defaultCertificateAuthorityFile: String? {
        guard let handle = easyInit() else { return nil }
        defer { easyCleanup(handle) }
        var path: UnsafeMutablePointer<CChar>?
        guard getinfoPointer(handle, Info.caInfo, &path) == 0, let path else { return nil }
        return String(cString: path)
    }

    private func message(for code: Int32) -> String {
        strerror(code).map { String(cString: $0) } ?? "curl error \(code)"
    }

    // MARK: one exchange

    /// What the C callbacks see of an exchange, through their `void *` argument.
    private final class Transfer {
        var body = Data()
        let limit: Int
        var exceededLimit = false
        let cancellation: CancellationFlag

        init(limit: Int, cancellation: CancellationFlag) {
            self.limit = limit
            self.cancellation = cancellation
        }
    }

    private static let write: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
        bytes, size, count, context in
        let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
        let length = size * count
        guard transfer.body.count + length <= transfer.limit else {
            transfer.exceededLimit = true
            return 0  // anything but `length` makes libcurl stop with CURLE_WRITE_ERROR
        }
        if let bytes, length > 0 {
            transfer.body.append(UnsafeRawPointer(bytes).assumingMemoryBound(to: UInt8.self), count: length)
        }
        return length
    }

    private static let progress: @convention(c) (UnsafeMutableRawPointer?, Int64, Int64, Int64, Int64) -> Int32 = {
        context, _, _, _, _ in
        let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
        return transfer.cancellation.isCancelled ? 1 : 0
    }

    /// Performs one POST on the calling thread (it blocks until the exchange ends).
    func post(to url: URL, headers: [(String, String)], body: Data, timeout: TimeInterval,
              maximumResponseBytes: Int, certificateAuthorities: Data?,
              cancellation: CancellationFlag) throws -> SOAPHTTPResponse {
        guard let handle = easyInit() else { throw SOAPError(.transport, "curl_easy_init failed") }
        defer { easyCleanup(handle) }
        var headerList: OpaquePointer?
        defer { slistFreeAll(headerList) }
        // libcurl would otherwise send `Expect: 100-continue` for large bodies and wait for it.
        for line in headers.map({ "\($0.0): \($0.1)" }) + ["Expect:"] {
            guard let appended = line.withCString({ slistAppend(headerList, $0) }) else {
                throw SOAPError(.transport, "curl_slist_append failed")
            }
            headerList = appended
        }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Self.errorSize)
        errorBuffer.initialize(repeating: 0, count: Self.errorSize)
        defer { errorBuffer.deallocate() }
        let transfer = Transfer(limit: maximumResponseBytes, cancellation: cancellation)
        let context = Unmanaged.passUnretained(transfer).toOpaque()

        func set(_ option: Int32, _ name: String, _ code: Int32) throws {
            guard code == 0 else {
                throw SOAPError(.transport, "\(version) refused \(name): \(message(for: code))")
            }
        }
        try set(Option.url, "CURLOPT_URL", url.absoluteString.withCString { setoptPointer(handle, Option.url, $0) })
        try set(Option.noSignal, "CURLOPT_NOSIGNAL", setoptLong(handle, Option.noSignal, 1))
        try set(Option.followLocation, "CURLOPT_FOLLOWLOCATION", setoptLong(handle, Option.followLocation, 0))
        try set(Option.sslVerifyPeer, "CURLOPT_SSL_VERIFYPEER", setoptLong(handle, Option.sslVerifyPeer, 1))
        try set(Option.sslVerifyHost, "CURLOPT_SSL_VERIFYHOST", setoptLong(handle, Option.sslVerifyHost, 2))
        try set(Option.httpHeader, "CURLOPT_HTTPHEADER", setoptPointer(handle, Option.httpHeader, UnsafeRawPointer(headerList)))
        // The size goes first so that COPYPOSTFIELDS copies exactly the body, NUL bytes included.
        try set(Option.postFieldSize, "CURLOPT_POSTFIELDSIZE_LARGE", setoptOffset(handle, Option.postFieldSize, Int64(body.count)))
        try set(Option.copyPostFields, "CURLOPT_COPYPOSTFIELDS", (body.isEmpty ? Data([0]) : body).withUnsafeBytes {
            setoptPointer(handle, Option.copyPostFields, $0.baseAddress)
        })
        try set(Option.timeoutMilliseconds, "CURLOPT_TIMEOUT_MS",
                setoptLong(handle, Option.timeoutMilliseconds, max(1, Int((timeout * 1000).rounded(.up)))))
        try set(Option.maximumFileSize, "CURLOPT_MAXFILESIZE_LARGE", setoptOffset(handle, Option.maximumFileSize, Int64(maximumResponseBytes)))
        try set(Option.writeFunction, "CURLOPT_WRITEFUNCTION", setoptPointer(handle, Option.writeFunction, unsafeBitCast(Self.write, to: UnsafeRawPointer.self)))
        try set(Option.writeData, "CURLOPT_WRITEDATA", setoptPointer(handle, Option.writeData, context))
        try set(Option.noProgress, "CURLOPT_NOPROGRESS", setoptLong(handle, Option.noProgress, 0))
        try set(Option.transferInfoFunction, "CURLOPT_XFERINFOFUNCTION", setoptPointer(handle, Option.transferInfoFunction, unsafeBitCast(Self.progress, to: UnsafeRawPointer.self)))
        try set(Option.transferInfoData, "CURLOPT_XFERINFODATA", setoptPointer(handle, Option.transferInfoData, context))
        try set(Option.errorBuffer, "CURLOPT_ERRORBUFFER", setoptPointer(handle, Option.errorBuffer, errorBuffer))
        if var certificateAuthorities {
            let code = certificateAuthorities.withUnsafeMutableBytes { bytes -> Int32 in
                var blob = Blob(data: bytes.baseAddress, length: bytes.count, flags: Self.blobCopy)
                return withUnsafePointer(to: &blob) { setoptPointer(handle, Option.caInfoBlob, $0) }
            }
            if code == Code.unknownOption || code == Code.notBuiltIn {
                throw SOAPError(.invalidTrustRoot, "\(version) cannot take extra trust roots (CURLOPT_CAINFO_BLOB needs libcurl 7.77 or later with OpenSSL)")
            }
            try set(Option.caInfoBlob, "CURLOPT_CAINFO_BLOB", code)
        }

        let code = easyPerform(handle)
        let host = url.host ?? url.absoluteString
        let detail = errorBuffer.pointee == 0 ? message(for: code) : String(cString: errorBuffer)
        if transfer.exceededLimit || code == Code.fileSizeExceeded {
            throw SOAPError(.responseTooLarge, "the response from \(host) exceeds the limit of \(maximumResponseBytes) bytes")
        }
        switch code {
        case 0:
            break
        case Code.abortedByCallback where cancellation.isCancelled:
            throw CancellationError()
        case Code.timedOut:
            throw SOAPError(.timeout, "no complete answer from \(host) within \(timeout) s: \(detail)")
        case Code.peerFailedVerification:
            throw SOAPError(.untrustedServer, "the server \(host) is not trusted: \(detail)")
        case Code.caCertificateBadFile:
            throw SOAPError(.invalidTrustRoot, "libcurl could not load the trust roots: \(detail)")
        default:
            throw SOAPError(.transport, "\(url.absoluteString): \(detail) (curl error \(code))")
        }

        var status = 0
        _ = getinfoPointer(handle, Info.responseCode, &status)
        var contentType: UnsafeMutablePointer<CChar>?
        _ = getinfoPointer(handle, Info.contentType, &contentType)
        return SOAPHTTPResponse(statusCode: status, contentType: contentType.map { String(cString: $0) }, body: transfer.body)
    }
}

/// Set from a task's cancellation handler, read by libcurl's progress callback on the
/// transfer thread.
final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false

    var isCancelled: Bool {
        lock.withLock { cancelled }
    }

    func cancel() {
        lock.withLock { cancelled = true }
    }
}
#endif
