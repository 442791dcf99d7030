import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A child process on a new pseudo-terminal, as a person at a terminal runs it: the terminal's
/// slave side is its standard input, output and error and its controlling terminal (a new
/// session), so that the line discipline echoes what is typed unless the child turns echo off,
/// and turns Ctrl-C (0x03) into SIGINT for it. The test plays the person on the master side.
final class PseudoTerminalProcess: Sendable {
    private let master: Int32
    let processIdentifier: pid_t
    private let screen = Screen()
    private let reaped = Mutex(false)

    /// What the master side read, and whether it has read everything.
    private final class Screen: Sendable {
        let bytes = Mutex(Data())
        let finished = Mutex(false)
    }

    /// Everything the terminal showed so far (what the child wrote, and the echo of what was
    /// typed), with the terminal's CR LF as LF.
    var transcript: String {
        String(decoding: screen.bytes.withLock { $0 }, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
    }

    init(executable: URL, arguments: [String], environment: [String: String]) throws {
        let libc = try PseudoTerminalFunctions.resolved()
        let master = libc.openMaster(O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard master >= 0 else { throw Self.failure("posix_openpt") }
        guard libc.grant(master) == 0, libc.unlock(master) == 0 else { close(master); throw Self.failure("grantpt/unlockpt") }
        var name = [CChar](repeating: 0, count: 128)
        guard libc.slaveName(master, &name, name.count) == 0 else { close(master); throw Self.failure("ptsname_r") }
        let slavePath = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)

        // The child: a new session (POSIX_SPAWN_SETSID, before the file actions), whose first
        // open of a terminal makes it the controlling terminal; then fds 0, 1, 2 on it, nothing
        // else inherited; SIGINT at its default and unblocked, whatever the test runner does.
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        guard libc.closeFrom(&actions, 3) == 0 else { close(master); throw Self.failure("posix_spawn_file_actions_addclosefrom_np") }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        let setSession: Int32 = 0x80  // POSIX_SPAWN_SETSID (glibc, a GNU extension not imported)
        posix_spawnattr_setflags(&attributes, Int16(setSession | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable.path, &actions, &attributes, argv, envp)
        guard spawned == 0 else { close(master); throw Self.failure("posix_spawn", code: spawned) }
        self.master = master
        processIdentifier = pid

        // Read the master until the last holder of the slave side is gone (EIO).
        let screen = self.screen
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(master, &buffer, buffer.count)
                if count > 0 {
                    screen.bytes.withLock { $0.append(contentsOf: buffer[0..<count]) }
                } else if count < 0, errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            screen.finished.withLock { $0 = true }
        }
        reader.start()
    }

    deinit {
        // A failed test must not leave the child behind (a reaped pid may belong to another process by now).
        if !reaped.withLock({ $0 }) {
            kill(processIdentifier, SIGKILL)
            var status: Int32 = 0
            waitpid(processIdentifier, &status, 0)
        }
        close(master)
    }

    /// Types `text` (the line discipline echoes it, unless echo is off).
    func type(_ text: String) {
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return }
            written += count
        }
    }

    /// Ctrl-C: the line discipline sends SIGINT to the terminal's foreground process group.
    func pressControlC() {
        type("\u{03}")
    }

    /// Whether the terminal echoes what is typed now (a master's termios are its slave's on Linux).
    var echoes: Bool {
        var settings = termios()
        guard tcgetattr(master, &settings) == 0 else { return true }
        return settings.c_lflag & tcflag_t(ECHO) != 0
    }

    /// Waits until the terminal shows `text` after `offset` characters of the transcript, or the child has ended.
    @discardableResult
    func waitFor(_ text: String, after offset: String.Index? = nil) async throws -> String.Index {
        try await waitUntil("the terminal to show \(text.debugDescription)") {
            let shown = self.transcript
            let start = offset.map { min($0, shown.endIndex) } ?? shown.startIndex
            return shown.range(of: text, range: start..<shown.endIndex)?.upperBound
        }
    }

    /// Waits until the child turned echo off (to read a secret).
    func waitForEchoOff() async throws {
        try await waitUntil("echo to be turned off") { self.echoes ? nil : () }
    }

    /// Polls `condition` while the child runs; the child's end (the reader's EOF) ends the wait.
    /// A child that waits for something never typed is killed after two minutes, so that a
    /// changed prompt fails the test instead of hanging it (a guard, not a timing assertion).
    private func waitUntil<Value>(_ what: String, _ condition: @escaping () -> Value?) async throws -> Value {
        let deadline = ContinuousClock.now + .seconds(120)
        while true {
            if let value = condition() { return value }
            if screen.finished.withLock({ $0 }) {
                if let value = condition() { return value }
                throw SandboxProcessError(description: "the child ended before \(what); the terminal showed:\n\(transcript)")
            }
            if ContinuousClock.now > deadline {
                kill(processIdentifier, SIGKILL)
                throw SandboxProcessError(description: "still waiting for \(what) after two minutes; the terminal showed:\n\(transcript)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits for the child's end and returns its exit status (128 + N for signal N, as shells do).
    func exitStatus() async throws -> Int32 {
        let pid = processIdentifier
        let status = try await OwnThread.run { () -> Int32 in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 {
                guard errno == EINTR else { throw Self.failure("waitpid") }
            }
            return status
        }
        reaped.withLock { $0 = true }
        // The rest of the output: the reader sees EIO once the child is gone.
        while !screen.finished.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    static func failure(_ call: String, code: Int32 = errno) -> SandboxProcessError {
        SandboxProcessError(description: "\(call) failed: \(String(cString: strerror(code)))")
    }
}

/// The pseudo-terminal calls of glibc that Swift's Glibc module does not import (they need
/// _XOPEN_SOURCE or _GNU_SOURCE), looked up by name.
struct PseudoTerminalFunctions {
    typealias OpenMaster = @convention(c) (Int32) -> Int32
    typealias OnMaster = @convention(c) (Int32) -> Int32
    typealias SlaveName = @convention(c) (Int32, UnsafeMutablePointer<CChar>?, Int) -> Int32
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32

    let openMaster: OpenMaster
    let grant: OnMaster
    let unlock: OnMaster
    let slaveName: SlaveName
    /// posix_spawn_file_actions_addclosefrom_np (glibc 2.34): the child inherits no other descriptor.
    let closeFrom: CloseFrom

    static func resolved() throws -> PseudoTerminalFunctions {
        func function<F>(_ name: String, as type: F.Type) throws -> F {
            // A nil handle is RTLD_DEFAULT: the symbols of the process, libc's included.
            guard let symbol = dlsym(nil, name) else { throw PseudoTerminalProcess.failure("dlsym(\(name))", code: ENOSYS) }
            return unsafeBitCast(symbol, to: type)
        }
        return PseudoTerminalFunctions(openMaster: try function("posix_openpt", as: OpenMaster.self),
                                       grant: try function("grantpt", as: OnMaster.self),
                                       unlock: try function("unlockpt", as: OnMaster.self),
                                       slaveName: try function("ptsname_r", as: SlaveName.self),
                                       closeFrom: try function("posix_spawn_file_actions_addclosefrom_np", as: CloseFrom.self))
    }
}
