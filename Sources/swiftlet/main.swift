import Foundation
import Swiftlet

let usage = """
usage: swiftlet <command> [options]
  tokenize --model M [--jsonl FILE] [TEXT…]            → {"ids","tokens"} per text
  embed    --model M [--prefix query|passage|STR] [--batch N] [--threads T] [--jsonl FILE] [TEXT…]
                                                        → {"embedding"} per text
  ocr      [--det D --rec R --cls C | --no-cls] [--preset rapidocr|paddle] [--score-mode fast|slow] [--threads T] IMAGE…
                                                        → {"image","lines":[{"box","text","score"}]} per image
  run      --model M --input NAME=FILE.npy … --output-dir DIR [--threads T]
  inspect  M [--tensors]                                (header, ops, kernels; --tensors: each weight's storage type, shape, bytes)
  bench    --model M [--batch B --seq S | --jsonl FILE | --input NAME=X.npy] [--threads T] [--runs N] [--profile] [--no-prepack]
           (timings as JSON with the CPU and GEMM path; --profile adds per-op times on stderr)
  bench    --gemm MxNxK [--threads T] [--runs N]      (GFLOP/s of each GEMM path on that shape, JSON per path)
  bench-ocr [ocr options] [--runs N] IMAGE…              (whole-pipeline timings per image, JSON)
  serve    (--socket PATH | --listen [HOST:]PORT) (--model [NAME=]M … | --models-dir DIR) [--alias A=NAME] [--default-model NAME]
           [--ocr det=D,rec=R[,cls=C] | --no-ocr] [--threads T] [--max-batch N] [--max-batch-tokens N] [--max-body BYTES]
           [--batch-window MS] [--tenant-inflight N] [--max-queue N] [--drain-timeout S] [--exit-with-parent] [--verbose]
           (sidecar protocol v1 + OpenAI/Ollama/TEI-compatible APIs; docs/SERVING.md)
M is a .swl path or a model name looked up in $SWIFTLET_MODELS (default ./models).
"""

/// Arguments must be valid UTF-8: Swift would otherwise repair them silently and the
/// tokenizer would see U+FFFD instead of an error.
func validatedArguments() throws -> [String] {
    var out: [String] = []
    for i in 1..<Int(CommandLine.argc) {
        guard let p = CommandLine.unsafeArgv[i] else { continue }
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: strlen(p))
        guard let s = String(validating: bytes, as: UTF8.self) else { throw CLIError("argument \(i) is not valid UTF-8") }
        out.append(s)
    }
    return out
}

do {
    let argv = try validatedArguments()
    guard let cmd = argv.first else {
        FileHandle.standardError.write((usage + "\n").data(using: .utf8)!)
        exit(2)
    }
    let args = try Args(Array(argv.dropFirst()), booleanFlags: Set(["no-fusions", "prepack", "no-prepack", "no-cls", "help", "profile", "tensors"]).union(ServeCommand.booleanFlags))
    // `swiftlet CMD --help`: the usage, on stdout, exit 0, whatever the command.
    if args.flag("help") {
        print(usage)
        exit(0)
    }
    switch cmd {
    case "tokenize": try Commands.tokenize(args)
    case "embed": try Commands.embed(args)
    case "run": try Commands.run(args)
    case "inspect": try Commands.inspect(args)
    case "ocr": try OCRCommand.run(args)
    case "bench": try Bench.run(args)
    case "bench-ocr": try BenchOCR.run(args)
    case "serve": try ServeCommand.run(args)
    case "help", "--help", "-h": print(usage)
    default: throw CLIError("unknown command '\(cmd)'\n\(usage)")
    }
} catch {
    FileHandle.standardError.write("swiftlet: error: \(error)\n".data(using: .utf8)!)
    exit(1)
}
