import FuzzTargets

/// libFuzzer target `sandbox-request` (`scripts/fuzz.sh sandbox-request SECONDS`); see `SandboxRequestTarget`.
@main
enum FuzzSandboxRequest {
    static func main() { FuzzDriver.main(SandboxRequestTarget.self) }
}
