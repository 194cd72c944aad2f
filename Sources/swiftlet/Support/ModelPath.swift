import Swiftlet
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Model names resolve against $SWIFTLET_MODELS (default ./models): `--model all-MiniLM-L6-v2`
/// finds models/all-MiniLM-L6-v2.swl; anything with a slash or .swl is taken as a path.
enum ModelPath {
    static let defaultEmbedder = "all-MiniLM-L6-v2"
    static let help = "A .swl path, or a name looked up in $SWIFTLET_MODELS (./models if unset)."

    static func resolve(_ name: String) -> String {
        if name.contains("/") || name.hasSuffix(".swl") { return name }
        let dir = ProcessInfo.processInfo.environment["SWIFTLET_MODELS"] ?? "models"
        return "\(dir)/\(name).swl"
    }

    /// "dir/name.swl" → "name": what a served model is called when given without NAME=.
    static func stem(_ path: String) -> String {
        let file = path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
        guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return file }
        return String(file[..<dot])
    }

    static func join(_ dir: String, _ file: String) -> String {
        dir.hasSuffix("/") ? dir + file : dir + "/" + file
    }
}

/// The default of every `--threads`: all cores this process may use.
enum Cores {
    static var all: Int { ProcessInfo.processInfo.activeProcessorCount }
}
