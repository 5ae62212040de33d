import Foundation
import FuzzTargets

// Built with `-sanitize=fuzzer,address -D FUZZING` (`make fuzz`): libFuzzer's own `main`
// drives `LLVMFuzzerTestOneInput`, the target named by GLIDN_FUZZ_TARGET. Built normally,
// `glidn-fuzz TARGET FILE…` replays inputs through a target (what a found crash needs).

let selectedTarget: String = ProcessInfo.processInfo.environment["GLIDN_FUZZ_TARGET"] ?? ""

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    guard FuzzTargets.names.contains(selectedTarget) else {
        fatalError("set GLIDN_FUZZ_TARGET to one of \(FuzzTargets.names.joined(separator: ", "))")
    }
    FuzzTargets.run(selectedTarget, bytes.map { Data(bytes: $0, count: count) } ?? Data())
    return 0
}

#if FUZZING
    // SwiftPM links an executable's entry point as `<module>_main` and aliases `main` to it;
    // under the fuzzer that entry point hands the arguments to libFuzzer's driver.
    @_silgen_name("LLVMFuzzerRunDriver")
    func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<Int32>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
    ) -> Int32

    @_cdecl("glidn_fuzz_main")
    func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
        var count = argc
        var arguments = argv
        return runFuzzerDriver(&count, &arguments) { fuzzOneInput($0, $1) }
    }
#else
    @main
    struct Replay {
        static func main() {
            let arguments = CommandLine.arguments.dropFirst()
            guard let target = arguments.first, FuzzTargets.names.contains(target) else {
                print("usage: glidn-fuzz TARGET FILE…   (targets: \(FuzzTargets.names.joined(separator: ", ")))")
                exit(2)
            }
            for path in arguments.dropFirst() {
                guard let data = FileManager.default.contents(atPath: path) else {
                    print("cannot read \(path)")
                    exit(1)
                }
                let start = Date()
                FuzzTargets.run(target, data)
                print(String(format: "%@: ok (%.3f s)", path, Date().timeIntervalSince(start)))
            }
        }
    }
#endif
