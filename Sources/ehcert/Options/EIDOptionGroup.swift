import ArgumentParser
import CertManagerKit
import Foundation
import Security

/// Where the eID keys are: a card through PKCS#11, or a software eID (PKCS#12).
struct EIDOptionGroup: ParsableArguments {
    @Option(name: .customLong("eid-pkcs11"), help: ArgumentHelp("The PKCS#11 module of the eID middleware (default: the installed Belgian eID middleware).", valueName: "MODULE"))
    var pkcs11Module: String?

    @Option(name: .customLong("eid-token"), help: "The label of the token to use (default: the first one present).")
    var tokenLabel: String?

    @Option(name: .customLong("eid-p12"), help: ArgumentHelp("A software eID: PKCS#12 with the aliases Authentication and Signature.", valueName: "FILE"))
    var pkcs12File: String?

    @Option(name: .customLong("eid-pin-env"), help: ArgumentHelp("Read the eID PIN (or the software eID's password) from this environment variable.", valueName: "VAR"))
    var pinEnvironmentVariable: String?

    @Option(name: .customLong("eid-pin-file"), help: ArgumentHelp(
        "Read the eID PIN (or the software eID's password) from the first line of this file.",
        discussion: "On a card it answers the Authentication key's login only: signing with the Signature key (generateCertificate, revoke: a legal signature) asks at the prompt unless --eid-signature-pin-file is given too.",
        valueName: "FILE"))
    var pinFile: String?

    @Option(name: .customLong("eid-signature-pin-file"), help: ArgumentHelp(
        "Read the PIN for the card's Signature key (a legal signature) from the first line of this file; may be the --eid-pin-file file, given again on purpose.",
        valueName: "FILE"))
    var signaturePINFile: String?

    func validate() throws {
        if pkcs11Module != nil, pkcs12File != nil { throw ValidationError("give --eid-pkcs11 or --eid-p12, not both") }
        if pinEnvironmentVariable != nil, pinFile != nil { throw ValidationError("give --eid-pin-env or --eid-pin-file, not both") }
        if signaturePINFile != nil, pkcs12File != nil { throw ValidationError("--eid-signature-pin-file is for a card (--eid-pkcs11); a software eID has one password") }
    }

    /// The eID given on the command line, else the configuration file's (never a mix of both).
    private var source: (pkcs11Module: String?, pkcs12File: String?) {
        if pkcs11Module != nil || pkcs12File != nil { return (pkcs11Module, pkcs12File) }
        let file = ActiveConfiguration.current
        return (file.eIDPKCS11Module, file.eIDPKCS12File)
    }

    /// The keys; a PIN or password is asked for only when a step signs.
    func keySource() throws -> any EIDKeySource {
        let (pkcs11Module, pkcs12File) = source
        let tokenLabel = self.tokenLabel ?? ActiveConfiguration.current.eIDToken
        let secret = SecretSource(environmentVariable: pinEnvironmentVariable, file: pinFile,
                                  what: pkcs12File != nil ? "password of the software eID" : "eID PIN")
        if let pkcs12File {
            return PKCS12EIDKeySource(file: URL(fileURLWithPath: pkcs12File), password: try secret.read())
        }
        let pin: PINSource
        if let pinEnvironmentVariable {
            pin = .environment(pinEnvironmentVariable)
        } else if pinFile != nil || signaturePINFile != nil {
            // A PIN kept in a file signs legally only when the person said so for that key.
            let authenticationPIN = pinFile != nil ? try secret.read() : nil
            let signaturePIN = try signaturePINFile.map { try SecretSource(environmentVariable: nil, file: $0, what: "eID PIN for the Signature key").read() }
            var pins: [String: String] = [:]
            pins[PKCS11SigningKey.BelgianEIDKey.authentication.rawValue] = authenticationPIN
            pins[PKCS11SigningKey.BelgianEIDKey.signature.rawValue] = signaturePIN
            pin = .perKey(pins, otherwise: PINSource.prompt { message in Terminal.readSecret(prompt: message) })
        } else {
            pin = PINSource.prompt { message in Terminal.readSecret(prompt: message) }
                .onPinpad { request in Terminal.printError("Enter the PIN on the card reader's keypad (\(request.keyLabel) key).") }
        }
        return PKCS11EIDKeySource(modulePath: pkcs11Module, token: tokenLabel.map(PKCS11TokenSelector.label) ?? .first, pin: pin)
    }
}

/// The keystore password: prompt (twice for a new keystore), an environment variable, or a file.
struct KeystorePasswordOptionGroup: ParsableArguments {
    @Option(name: .customLong("password-env"), help: ArgumentHelp("Read the keystore password from this environment variable.", valueName: "VAR"))
    var environmentVariable: String?

    @Option(name: .customLong("password-file"), help: ArgumentHelp("Read the keystore password from the first line of this file.", valueName: "FILE"))
    var file: String?

    func validate() throws {
        if environmentVariable != nil, file != nil { throw ValidationError("give --password-env or --password-file, not both") }
    }

    func read(new: Bool) throws -> String {
        try SecretSource(environmentVariable: environmentVariable, file: file, what: "keystore password").read(confirmingNew: new)
    }
}

/// Options every flow command has.
struct FlowOptionGroup: ParsableArguments {
    @Option(name: .customLong("workdir"), help: ArgumentHelp("Where flows keep their journals (default: $XDG_STATE_HOME/ehcert or ~/.local/state/ehcert).", valueName: "DIR"))
    var workDirectory: String?

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    @Option(name: .customLong("max-wait"), help: ArgumentHelp("Minutes to keep polling for the certificate before stopping (resume later).", valueName: "MINUTES"))
    var maximumWaitMinutes: Double = 30

    var work: WorkDirectory {
        (workDirectory ?? ActiveConfiguration.current.workDirectory).map { WorkDirectory(URL(fileURLWithPath: $0)) } ?? .default
    }

    var polling: PollingPolicy {
        PollingPolicy(maximumWait: .seconds(maximumWaitMinutes * 60))
    }
}

extension EIDOptionGroup {
    /// The key source, opened (and its password or PIN read) only when a step signs: a resumed
    /// flow past the eID steps never asks.
    func deferredKeySource() throws -> any EIDKeySource {
        DeferredEIDKeySource(make: { try self.keySource() })
    }
}

/// Opens the real key source on first use.
actor DeferredEIDKeySource: EIDKeySource {
    private let make: @Sendable () throws -> any EIDKeySource
    private var source: (any EIDKeySource)?

    init(make: @escaping @Sendable () throws -> any EIDKeySource) {
        self.make = make
    }

    private func resolved() throws -> any EIDKeySource {
        if let source { return source }
        let made = try make()
        source = made
        return made
    }

    func authenticationKey() async throws -> any SigningKey {
        try await resolved().authenticationKey()
    }

    func signatureKey() async throws -> any SigningKey {
        try await resolved().signatureKey()
    }

    func close() async {
        await source?.close()
    }
}
