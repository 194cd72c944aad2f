#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
import Dispatch
#else
import Foundation
#endif
import Dispatch

/// A Hugging Face `tokenizer.json`, loaded once and then used read-only, so one
/// instance can serve any number of threads.
public final class Tokenizer: @unchecked Sendable {
    private let normalizer: Normalizer?
    private let preTokenizer: PreTokenizer?
    private let model: TokenizerModel
    private let postProcessor: PostProcessor
    private let decoder: Decoder
    private let addedTokens: [AddedToken]
    /// Added tokens matched in the raw input.
    private let rawMatcher: AddedTokenMatcher
    /// Added tokens flagged `normalized`, matched after normalization.
    private let normalizedMatcher: AddedTokenMatcher
    private let addedTokenIds: [String: Int32]
    private let specialIds: Set<Int32>
    /// Added tokens whose text the model's vocabulary lacks or spells differently,
    /// by id; every other id's text comes from the model on demand, so loading
    /// builds no per-piece Strings.
    private let addedTokenText: [Int32: String]

    /// The file's own truncation; `encode(maxLength:)` overrides its length.
    public let truncation: TruncationConfig?
    /// The file's own padding, for `pad(_:)`; `encode` never pads.
    public let padding: PaddingConfig?

    /// `vocabularyBlob`: the optional precomputed Unigram vocabulary stored next
    /// to tokenizer.json in a .swl (`tokenizer.unigram`, docs/FORMAT.md); used
    /// only when it was made from exactly these tokenizer.json bytes.
    public init(json data: [UInt8], vocabularyBlob: [UInt8]? = nil) throws {
        let root = try JSONObject.parse(data)
        let modelJSON = try root.requiredObject("model")
        let precomputed = try vocabularyBlob.flatMap { try UnigramVocabularyBlob.read($0, source: data) }
        let model = try TokenizerModelFactory.make(modelJSON, precomputed: precomputed)
        let normalizer = try root.object("normalizer").map(NormalizerFactory.make)
        self.model = model
        self.normalizer = normalizer
        preTokenizer = try root.object("pre_tokenizer").map(PreTokenizerFactory.make)
        postProcessor = try root.object("post_processor").map(PostProcessorFactory.make) ?? ConcatenatingPostProcessor()
        decoder = try root.object("decoder").map(DecoderFactory.make) ?? SpaceJoiningDecoder()
        truncation = try root.object("truncation").map(TruncationConfig.init)
        padding = try root.object("padding").map(PaddingConfig.init)

        let added = try root.objects("added_tokens")?.map(AddedToken.init) ?? []
        addedTokens = added
        rawMatcher = AddedTokenMatcher(added.filter { !$0.normalized }) { Array($0.unicodeScalars.map(\.value)) }
        normalizedMatcher = AddedTokenMatcher(added.filter { $0.normalized }) { content in
            var text = NormalizedText()
            for s in content.unicodeScalars { text.append(s.value, start: 0, end: 0) }
            normalizer?.normalize(&text)
            return text.scalars
        }
        var ids: [String: Int32] = [:]
        for token in added { ids[token.content] = token.id }
        addedTokenIds = ids
        specialIds = Set(added.filter(\.special).map(\.id))

        var overlay: [Int32: String] = [:]
        for token in added where token.id >= 0 && model.token(forId: token.id) != token.content {
            overlay[token.id] = token.content
        }
        addedTokenText = overlay
    }

    /// `init(json:vocabularyBlob:)` for `Data`. Emitted into the caller, so this module
    /// references no Foundation symbol (the C ABI library links none: docs/C-ABI.md).
    @_alwaysEmitIntoClient
    public convenience init(json data: Data, vocabularyBlob: Data? = nil) throws {
        try self.init(json: [UInt8](data), vocabularyBlob: vocabularyBlob.map { [UInt8]($0) })
    }

    /// Loads a `tokenizer.json` file.
    ///
    /// - Throws: ``TokenizerError/fileNotReadable(_:_:)`` when it cannot be read, else what
    ///   `init(json:vocabularyBlob:)` throws.
    @_alwaysEmitIntoClient
    public convenience init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TokenizerError.fileNotReadable(url.path, String(describing: error))
        }
        try self.init(json: data)
    }

    // MARK: vocabulary

    /// Model vocabulary plus added tokens that are not already in it.
    public var vocabSize: Int {
        model.vocabSize + addedTokens.filter { model.id(forToken: $0.content) == nil }.count
    }

    /// The id of `token` (an added token first, then the model's vocabulary), or nil.
    public func id(forToken token: String) -> Int32? {
        addedTokenIds[token] ?? model.id(forToken: token)
    }

    /// The string of token `id`, or nil when the id is out of range.
    public func token(forId id: Int32) -> String? {
        if !addedTokenText.isEmpty, let text = addedTokenText[id] { return text }
        return model.token(forId: id)
    }

    /// The id used for padding: the padding block's, else [PAD] or <pad>, else 0.
    public var padId: Int32 {
        if let padding { return padding.padId }
        return id(forToken: "[PAD]") ?? id(forToken: "<pad>") ?? 0
    }

    // MARK: encoding

    /// maxLength: total tokens incl. special tokens; nil = the tokenizer.json's own truncation (or none)
    public func encode(_ text: String, pair: String? = nil, addSpecialTokens: Bool = true, maxLength: Int? = nil) -> Encoding {
        encode(text, pair: pair, addSpecialTokens: addSpecialTokens, maxLength: maxLength, details: true)
    }

    /// Just the ids `encode` would give (same truncation and special tokens),
    /// for callers that only look ids up, e.g. a static embedder: token strings
    /// and offsets are never made, which is most of the cost beyond the model.
    public func encodeIds(_ text: String, addSpecialTokens: Bool = true, maxLength: Int? = nil) -> [Int32] {
        encode(text, pair: nil, addSpecialTokens: addSpecialTokens, maxLength: maxLength, details: false).ids
    }

    /// `details` false leaves every token string empty and every offset zero.
    private func encode(_ text: String, pair: String?, addSpecialTokens: Bool, maxLength: Int?, details: Bool) -> Encoding {
        var first = encodeSequence(text, details: details)
        // HF types the second sequence 1 as it encodes it; post-processors may retype.
        var second = pair.map { text -> Encoding in
            var e = encodeSequence(text, details: details)
            e.setTypeIds(1)
            return e
        }
        let added = addSpecialTokens ? postProcessor.addedTokenCount(isPair: pair != nil) : 0
        var rule = truncation
        if let maxLength {
            if rule == nil { rule = TruncationConfig(maxLength: maxLength) } else { rule!.maxLength = maxLength }
        }
        if let rule {
            rule.truncate(&first, &second, limit: max(0, rule.maxLength - added))
        }
        return postProcessor.process(first, second, addSpecialTokens: addSpecialTokens)
    }

    /// Encodes each text as ``encode(_:pair:addSpecialTokens:maxLength:)`` does, spread over
    /// the cores; results are in input order.
    public func encodeBatch(_ texts: [String], addSpecialTokens: Bool = true, maxLength: Int? = nil) -> [Encoding] {
        if texts.count < 2 {
            return texts.map { encode($0, addSpecialTokens: addSpecialTokens, maxLength: maxLength) }
        }
        var results = [Encoding](repeating: Encoding(), count: texts.count)
        let workers = min(texts.count, activeProcessorCount())
        results.withUnsafeMutableBufferPointer { out in
            let out = out
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var i = worker
                while i < texts.count {
                    out[i] = encode(texts[i], addSpecialTokens: addSpecialTokens, maxLength: maxLength)
                    i += workers
                }
            }
        }
        return results
    }

    /// Pads encodings per the file's padding config (or to `length`), e.g. to
    /// build a rectangular batch.
    public func pad(_ encodings: [Encoding], to length: Int? = nil) -> [Encoding] {
        var target = length ?? encodings.map(\.count).max() ?? 0
        if length == nil, case .fixed(let n)? = padding?.strategy { target = n }
        if let multiple = padding?.padToMultipleOf, multiple > 0, target % multiple != 0 {
            target += multiple - target % multiple
        }
        let padToken = padding?.padToken ?? token(forId: padId) ?? "[PAD]"
        let padTypeId = padding?.padTypeId ?? 0
        let left = padding?.padLeft ?? false
        return encodings.map { encoding in
            let missing = target - encoding.count
            guard missing > 0 else { return encoding }
            var pad = Encoding()
            for _ in 0..<missing {
                pad.append(id: padId, token: padToken, typeId: padTypeId, special: true, offset: TokenOffset(start: 0, end: 0))
            }
            pad.attentionMask = [Int32](repeating: 0, count: missing)
            if left {
                pad.append(contentsOf: encoding)
                return pad
            }
            var out = encoding
            out.append(contentsOf: pad)
            return out
        }
    }

    /// Tokenizes one text without special tokens or truncation.
    private func encodeSequence(_ text: String, details: Bool) -> Encoding {
        // Scalar values of the input, written straight into an array sized by its
        // UTF-8 length (an upper bound on the scalar count).
        let original = [UInt32](unsafeUninitializedCapacity: text.utf8.count) { buffer, count in
            var k = 0
            for s in text.unicodeScalars {
                buffer[k] = s.value
                k += 1
            }
            count = k
        }
        var encoding = Encoding()
        var pieces: [ModelToken] = []
        original.withUnsafeBufferPointer { source in
            for segment in rawMatcher.split(source, 0..<source.count) {
                if let id = segment.addedTokenId {
                    appendAddedToken(id, TokenOffset(start: segment.range.lowerBound, end: segment.range.upperBound), to: &encoding)
                    continue
                }
                var text = NormalizedText(original: source, range: segment.range)
                normalizer?.normalize(&text)
                text.originStart = Int32(segment.range.lowerBound)
                let parts = text.scalars.withUnsafeBufferPointer { normalizedMatcher.split($0, 0..<text.count) }
                for part in parts {
                    if let id = part.addedTokenId {
                        appendAddedToken(id, text.originalSpan(part.range), to: &encoding)
                        continue
                    }
                    let words = preTokenizer?.split(&text, words: [part.range]) ?? [part.range]
                    text.scalars.withUnsafeBufferPointer { scalars in
                        for word in words where !word.isEmpty {
                            pieces.removeAll(keepingCapacity: true)
                            model.tokenize(UnsafeBufferPointer(rebasing: scalars[word]), into: &pieces)
                            if !details {
                                for piece in pieces {
                                    encoding.append(id: piece.id, token: "", typeId: 0, special: false, offset: TokenOffset(start: 0, end: 0))
                                }
                                continue
                            }
                            for piece in pieces {
                                let base = word.lowerBound
                                let span = text.originalSpan((base + Int(piece.start))..<(base + Int(piece.end)))
                                let token = piece.literal
                                    ? String(scalarValues: UnsafeBufferPointer(rebasing: scalars[(base + Int(piece.start))..<(base + Int(piece.end))]))
                                    : token(forId: piece.id) ?? ""
                                encoding.append(id: piece.id, token: token, typeId: 0, special: false, offset: span)
                            }
                        }
                    }
                }
            }
        }
        return encoding
    }

    private func appendAddedToken(_ id: Int32, _ offset: TokenOffset, to encoding: inout Encoding) {
        // HF marks only post-processor tokens as special, not ones found in the text.
        encoding.append(id: id, token: token(forId: id) ?? "", typeId: 0, special: false, offset: offset)
    }

    // MARK: decoding

    /// The text of `ids`, as the tokenizer's decoder joins tokens; special tokens are left out
    /// unless `skipSpecialTokens` is false.
    public func decode(_ ids: [Int32], skipSpecialTokens: Bool = true) -> String {
        var tokens: [String] = []
        tokens.reserveCapacity(ids.count)
        for id in ids {
            if skipSpecialTokens && specialIds.contains(id) { continue }
            if let t = token(forId: id) { tokens.append(t) }
        }
        return decoder.decode(tokens)
    }
}
