import Foundation
import SwiftletTokenizers

// Tokenizer timing for tools/bench_tokenizers.py (not part of the product):
//   swiftlet-tokbench TOKENIZER_JSON TEXTS_JSONL [ROUNDS] [VOCAB_BLOB]
// TEXTS_JSONL holds {"text": ...} lines. Prints one JSON object: load times
// (ms, each a fresh parse of the file) and single-thread encode throughput.
let args = CommandLine.arguments
guard args.count >= 3 else {
    FileHandle.standardError.write("usage: swiftlet-tokbench TOKENIZER_JSON TEXTS_JSONL [ROUNDS]\n".data(using: .utf8)!)
    exit(2)
}
let rounds = args.count > 3 ? Int(args[3]) ?? 3 : 3
// The precomputed vocabulary a .swl carries next to tokenizer.json (tools/tokenizer_blob.py).
let blob = args.count > 4 ? try Data(contentsOf: URL(fileURLWithPath: args[4])) : nil
let data = try Data(contentsOf: URL(fileURLWithPath: args[1]))
let texts: [String] = try Data(contentsOf: URL(fileURLWithPath: args[2])).split(separator: UInt8(ascii: "\n")).map {
    (try JSONSerialization.jsonObject(with: Data($0)) as! [String: Any])["text"] as! String
}
let bytes = texts.reduce(0) { $0 + $1.utf8.count }

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
/// This thread's CPU time: steadier than wall time on a shared machine.
func cpuNow() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

var loads: [Double] = []
var loadsCPU: [Double] = []
var tokenizer: Tokenizer!
for _ in 0..<7 {
    let t0 = now()
    let c0 = cpuNow()
    tokenizer = try Tokenizer(json: data, vocabularyBlob: blob)
    loadsCPU.append((cpuNow() - c0) * 1000)
    loads.append((now() - t0) * 1000)
}
var best = Double.infinity
var bestCPU = Double.infinity
var tokens = 0
for _ in 0..<rounds {
    tokens = 0
    let t0 = now()
    let c0 = cpuNow()
    for t in texts { tokens += tokenizer.encode(t, maxLength: 1 << 30).ids.count }
    best = min(best, now() - t0)
    bestCPU = min(bestCPU, cpuNow() - c0)
}
loads.sort()
loadsCPU.sort()
print("{\"load_ms_median\": \(loads[3]), \"load_ms_min\": \(loads[0]), \"load_cpu_ms_median\": \(loadsCPU[3]), \"bytes\": \(bytes), \"tokens\": \(tokens), \"encode_s\": \(best), \"mb_per_s\": \(Double(bytes) / best / 1e6), \"mb_per_s_cpu\": \(Double(bytes) / bestCPU / 1e6)}")
