import FuzzTargets

/// libFuzzer target `soap-fault` (`scripts/fuzz.sh soap-fault SECONDS`); see `SOAPFaultTarget`.
@main
enum FuzzSOAPFault {
    static func main() { FuzzDriver.main(SOAPFaultTarget.self) }
}
