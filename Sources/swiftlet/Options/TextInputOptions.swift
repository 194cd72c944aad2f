import ArgumentParser

/// Where `tokenize` and `embed` get their texts: arguments first, then `--jsonl`.
struct TextInputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A JSON-lines file, one {\"text\": …} object per line ('-': stdin).", valueName: "file"),
            completion: .file(extensions: ["jsonl"]))
    var jsonl: String?

    @Argument(help: ArgumentHelp("Texts, one output line each (put texts starting with '-' after '--')."))
    var texts: [String] = []

    func load() throws -> [String] {
        guard let jsonl else { return texts }
        return texts + (try JSONLinesFile.texts(at: jsonl))
    }
}
