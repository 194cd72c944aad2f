import ArgumentParser

/// `--quiet` of the commands that show a progress line.
struct ProgressOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "No progress line on stderr (it is shown only when stderr is a terminal).")
    var quiet = false
}
