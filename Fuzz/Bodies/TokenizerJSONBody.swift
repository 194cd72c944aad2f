import Foundation
import SwiftletTokenizers

/// A `tokenizer.json` from arbitrary bytes (the JSON parser, every normalizer,
/// pre-tokenizer, model, post-processor and decoder factory, added tokens, truncation and
/// padding), then every tokenizer that loads encodes, pads and decodes a few fixed texts.
public enum TokenizerJSONBody {
    /// Texts that reach the interesting paths: accents, full-width forms and ligatures
    /// (charsmaps, NFKC), CJK, combining marks, emoji sequences, special-token spellings.
    static let texts = [
        "Hello, World! ﬁne café ① Ｆｕｌｌ naïve e\u{301}",
        "東京タワー Привет мир مرحبا 👨‍👩‍👧 \t\n  spaces  ",
        "[CLS] <s> </s> [UNK] <unk> swiftlet ▁x Ġy ##z 12345",
        "",
    ]

    public static func run(_ data: UnsafeRawBufferPointer) {
        guard data.count <= 256 << 10 else { return }
        guard let tokenizer = try? Tokenizer(json: Data(data)) else { return }
        exercise(tokenizer, texts: texts)
    }

    /// What a user of a loaded tokenizer calls, with lengths kept small.
    static func exercise(_ tokenizer: Tokenizer, texts: [String], maxLength: Int? = 64) {
        _ = tokenizer.vocabSize
        _ = tokenizer.padId
        for (i, text) in texts.enumerated() {
            let e = tokenizer.encode(text, maxLength: maxLength)
            _ = tokenizer.encode(text, pair: texts[(i + 1) % texts.count], addSpecialTokens: i % 2 == 0, maxLength: maxLength)
            _ = tokenizer.encodeIds(text, addSpecialTokens: false, maxLength: maxLength)
            _ = tokenizer.decode(e.ids)
            _ = tokenizer.decode(e.ids, skipSpecialTokens: false)
            for id in e.ids.prefix(4) { _ = tokenizer.token(forId: id) }
            for token in e.tokens.prefix(4) { _ = tokenizer.id(forToken: token) }
        }
        let batch = tokenizer.encodeBatch(texts, maxLength: maxLength)
        // A file's padding may ask for any length (the caller's memory to spend); pad only
        // when it asks for a sane one.
        if case .fixed(let n)? = tokenizer.padding?.strategy, n > 4096 { return }
        if let m = tokenizer.padding?.padToMultipleOf, m > 4096 { return }
        _ = tokenizer.pad(batch)
        _ = tokenizer.pad(batch, to: 70)
    }
}
