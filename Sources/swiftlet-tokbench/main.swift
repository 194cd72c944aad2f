import Foundation
import SwiftletTokenizers

// Tokenizer timing for tools/bench_tokenizers.py (not part of the product):
//   swiftlet-tokbench TOKENIZER_JSON TEXTS_JSONL [ROUNDS]
// TEXTS_JSONL holds {"text": ...} lines. Prints one JSON object: load times
// (ms, each a fresh parse of the file) and single-thread encode throughput.
let args = CommandLine.arguments
guard args.count >= 3 else {
    FileHandle.standardError.write("usage: swiftlet-tokbench TOKENIZER_JSON TEXTS_JSONL [ROUNDS]\n".data(using: .utf8)!)
    exit(2)
}
let rounds = args.count > 3 ? Int(args[3]) ?? 3 : 3
let data = try Data(contentsOf: URL(fileURLWithPath: args[1]))
let texts: [String] = try Data(contentsOf: URL(fileURLWithPath: args[2])).split(separator: UInt8(ascii: "\n")).map {
    (try JSONSerialization.jsonObject(with: Data($0)) as! [String: Any])["text"] as! String
}
let bytes = texts.reduce(0) { $0 + $1.utf8.count }

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

var loads: [Double] = []
var tokenizer: Tokenizer!
for _ in 0..<5 {
    let t0 = now()
    tokenizer = try Tokenizer(json: data)
    loads.append((now() - t0) * 1000)
}
var best = Double.infinity
var tokens = 0
for _ in 0..<rounds {
    tokens = 0
    let t0 = now()
    for t in texts { tokens += tokenizer.encode(t, maxLength: 1 << 30).ids.count }
    best = min(best, now() - t0)
}
loads.sort()
print("{\"load_ms_median\": \(loads[2]), \"load_ms_min\": \(loads[0]), \"bytes\": \(bytes), \"tokens\": \(tokens), \"encode_s\": \(best), \"mb_per_s\": \(Double(bytes) / best / 1e6)}")
