import ArgumentParser

/// `swiftlet completion bash|zsh|fish`: the shell completion script on stdout (the same
/// as the parser's `--generate-completion-script SHELL`).
struct CompletionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completion",
        abstract: "Print a shell completion script (bash, zsh, fish).",
        discussion: """
            Examples:
              swiftlet completion bash > /etc/bash_completion.d/swiftlet
              swiftlet completion zsh > "${fpath[1]}/_swiftlet"
              swiftlet completion fish > ~/.config/fish/completions/swiftlet.fish
              source <(swiftlet completion bash)   # this shell only
            """)

    @Argument(help: ArgumentHelp("bash, zsh or fish.", valueName: "shell"), transform: CompletionCommand.shell)
    var shell: CompletionShell

    func run() throws {
        print(SwiftletCommand.completionScript(for: shell))
    }

    @Sendable static func shell(_ s: String) throws -> CompletionShell {
        guard let shell = CompletionShell(rawValue: s) else {
            throw ArgumentValues.Invalid(description: "wants one of \(CompletionShell.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return shell
    }
}
