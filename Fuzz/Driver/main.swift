import Foundation
import SwiftletFuzz

// One libFuzzer executable for every body: SWIFTLET_FUZZ_TARGET names the body this
// process fuzzes (tools/fuzz.sh sets it), so the ASan build links once, not once per target.
let selected: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["SWIFTLET_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTargets.all.first(where: { $0.name == name }) else {
        let names = FuzzTargets.all.map(\.name).joined(separator: ", ")
        FileHandle.standardError.write(Data("swiftlet-fuzz: set SWIFTLET_FUZZ_TARGET to one of: \(names)\n".utf8))
        exit(2)
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selected.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

// SwiftPM links this file's top-level code as the program's main, so libFuzzer's own main()
// is never pulled in: start its driver from here.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
