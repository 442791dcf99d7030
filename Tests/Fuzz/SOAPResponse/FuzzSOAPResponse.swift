import FuzzTargets

/// libFuzzer target `soap-response` (`scripts/fuzz.sh soap-response SECONDS`); see `SOAPResponseTarget`.
@main
enum FuzzSOAPResponse {
    static func main() { FuzzDriver.main(SOAPResponseTarget.self) }
}
