import Foundation

/// The `main` of every fuzz executable.
///
/// Built for fuzzing (`scripts/fuzz.sh`: `-sanitize=fuzzer,address -D FUZZING`), it hands the
/// target to libFuzzer's driver with the command line's libFuzzer options. Built normally (as
/// `swift build` does), it runs the target once on each file or folder of files named, so that
/// a finding reproduces without the sanitizers and the executables always link.
/// Both accept `--make-seeds DEMO_WORKDIR DEMO_TRACEDIR OUTPUT` first: write the target's seeds.
public enum FuzzDriver {
    public static func main<Target: FuzzTarget>(_ target: Target.Type) -> Never {
        let arguments = CommandLine.arguments
        if arguments.count == 5, arguments[1] == "--make-seeds" {
            do {
                let count = try writeSeeds(Target.self, demo: DemoArtifacts(
                    workDirectory: URL(fileURLWithPath: arguments[2]), traceDirectory: URL(fileURLWithPath: arguments[3])),
                    to: URL(fileURLWithPath: arguments[4]))
                print("\(Target.name): \(count) seeds in \(arguments[4])")
                exit(0)
            } catch {
                FileHandle.standardError.write(Data("\(Target.name): cannot make seeds: \(error)\n".utf8))
                exit(1)
            }
        }
        let instance: Target
        do {
            instance = try Target(environment: FuzzEnvironment())
        } catch {
            FileHandle.standardError.write(Data("\(Target.name): cannot set up: \(error)\n".utf8))
            exit(1)
        }
        #if FUZZING
        current = instance.run
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            current?(data.map { Data(bytes: $0, count: size) } ?? Data())
            return 0
        })
        #else
        var count = 0
        for file in arguments.dropFirst().flatMap(inputFiles) {
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("\(Target.name): cannot read \(file)\n".utf8))
                exit(1)
            }
            instance.run(data)
            count += 1
        }
        print("\(Target.name): ran \(count) inputs without a crash")
        exit(0)
        #endif
    }

    /// Writes the target's seeds as `seed-NNN`; returns how many.
    @discardableResult
    public static func writeSeeds<Target: FuzzTarget>(_ target: Target.Type, demo: DemoArtifacts, to folder: URL) throws -> Int {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let seeds = try Target.seeds(from: demo)
        for (index, seed) in seeds.enumerated() {
            try seed.write(to: folder.appendingPathComponent(String(format: "seed-%03d", index)))
        }
        return seeds.count
    }

    private static func inputFiles(_ path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { path + "/" + $0 }
    }
}

#if FUZZING
/// The one target of this process, for the C callback (which captures nothing).
nonisolated(unsafe) private var current: ((Data) -> Void)?

/// libFuzzer's entry for programs with their own `main` (compiler-rt FuzzerInterface.h).
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
#endif
