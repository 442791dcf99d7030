import FuzzTargets

/// libFuzzer target `pkcs12` (`scripts/fuzz.sh pkcs12 SECONDS`); see `PKCS12Target`.
@main
enum FuzzPKCS12 {
    static func main() { FuzzDriver.main(PKCS12Target.self) }
}
