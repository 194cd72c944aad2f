import Swiftlet
import SwiftletServer

/// `swiftlet --version`: the release, the commit it was built from (GitRevision.swift is
/// written at build time by Plugins/GitRevision), and the kernels this CPU gets — what a
/// bug report needs to reproduce a number.
enum VersionInfo {
    static var text: String {
        """
        swiftlet \(SwiftletServe.version) (git \(GitRevision.text))
        cpu: \(KernelPaths.cpu) (\(KernelPaths.isa))
        gemm: \(KernelPaths.gemm)
        int8 gemm: \(KernelPaths.int8Gemm)
        """
    }
}
