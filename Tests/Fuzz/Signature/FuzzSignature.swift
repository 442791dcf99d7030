import FuzzTargets

/// libFuzzer target `signature` (`scripts/fuzz.sh signature SECONDS`); see `SignatureTarget`.
@main
enum FuzzSignature {
    static func main() { FuzzDriver.main(SignatureTarget.self) }
}
