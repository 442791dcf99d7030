import FuzzTargets

/// libFuzzer target `etk` (`scripts/fuzz.sh etk SECONDS`); see `ETKTarget`.
@main
enum FuzzETK {
    static func main() { FuzzDriver.main(ETKTarget.self) }
}
