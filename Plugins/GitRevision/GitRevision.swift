import Foundation
import PackagePlugin

/// Writes GitRevision.swift (`enum GitRevision { static let text = "…" }`) into the
/// `swiftlet` target before each build, so `swiftlet --version` names the commit it was
/// built from. A prebuild command because only those run on every build; the script
/// rewrites the file only when the text changes, so an unchanged tree recompiles nothing.
/// Outside a git checkout the revision reads "unknown".
@main
struct GitRevisionPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let out = context.pluginWorkDirectoryURL.appending(path: "generated")
        let script = """
            rev=$(git -C "$1" describe --always --dirty --abbrev=12 2>/dev/null) || rev=unknown
            mkdir -p "$2"
            new="enum GitRevision { static let text = \\"$rev\\" }"
            [ "$(cat "$2/GitRevision.swift" 2>/dev/null)" = "$new" ] || printf '%s\\n' "$new" > "$2/GitRevision.swift"
            """
        return [.prebuildCommand(displayName: "git revision for swiftlet --version",
                                 executable: URL(fileURLWithPath: "/bin/sh"),
                                 arguments: ["-c", script, "git-revision", context.package.directoryURL.path, out.path],
                                 outputFilesDirectory: out)]
    }
}
