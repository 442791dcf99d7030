import FuzzTargets

/// libFuzzer target `csr-dn` (`scripts/fuzz.sh csr-dn SECONDS`); see `CSRDistinguishedNameTarget`.
@main
enum FuzzCSRDistinguishedName {
    static func main() { FuzzDriver.main(CSRDistinguishedNameTarget.self) }
}
