#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// HF's TemplateProcessing: `$A`/`$B` sequences and special tokens laid out by a
/// template, each piece carrying its type id.
struct TemplateProcessing: PostProcessor {
    enum Piece: Equatable {
        case sequence(isFirst: Bool, typeId: Int32)
        case special(ids: [Int32], tokens: [String], typeId: Int32)
    }

    let single: [Piece]
    let pair: [Piece]

    init(single: [Piece], pair: [Piece]) {
        self.single = single
        self.pair = pair
    }

    init(_ json: JSONObject) throws {
        var specials: [String: (ids: [Int32], tokens: [String])] = [:]
        if let map = try json.object("special_tokens") {
            for (name, _) in map.storage {
                guard let entry = try map.object(name) else { continue }
                let ids = (entry.raw("ids") as? [Any])?.compactMap { ($0 as? NSNumberLike)?.int32 } ?? []
                let tokens = (entry.raw("tokens") as? [String]) ?? []
                guard !ids.isEmpty, ids.count == tokens.count else {
                    throw TokenizerError.invalidField(entry.path, "ids and tokens must be non-empty and the same length")
                }
                specials[name] = (ids, tokens)
            }
        }
        func parse(_ key: String) throws -> [Piece] {
            guard let items = try json.objects(key) else { throw TokenizerError.missingField(json.fieldPath(key)) }
            return try items.map { item in
                if let seq = try item.object("Sequence") {
                    let id = try seq.requiredString("id")
                    guard id == "A" || id == "B" else {
                        throw TokenizerError.invalidField(seq.fieldPath("id"), "expected \"A\" or \"B\", got \"\(id)\"")
                    }
                    return .sequence(isFirst: id == "A", typeId: try seq.int32("type_id") ?? 0)
                }
                if let special = try item.object("SpecialToken") {
                    let id = try special.requiredString("id")
                    guard let entry = specials[id] else {
                        throw TokenizerError.invalidField(special.path, "special token \"\(id)\" is missing from special_tokens")
                    }
                    return .special(ids: entry.ids, tokens: entry.tokens, typeId: try special.int32("type_id") ?? 0)
                }
                throw TokenizerError.invalidField(item.path, "expected a Sequence or SpecialToken piece")
            }
        }
        self.init(single: try parse("single"), pair: try parse("pair"))
    }

    func addedTokenCount(isPair: Bool) -> Int {
        (isPair ? pair : single).reduce(0) { count, piece in
            if case .special(let ids, _, _) = piece { return count + ids.count }
            return count
        }
    }

    func process(_ first: Encoding, _ second: Encoding?, addSpecialTokens: Bool) -> Encoding {
        let template = second == nil ? single : pair
        var out = Encoding()
        // Sized once: the arrays are filled without regrowing.
        out.reserveCapacity(first.count + (second?.count ?? 0) + (addSpecialTokens ? addedTokenCount(isPair: second != nil) : 0))
        for piece in template {
            switch piece {
            case .sequence(let isFirst, let typeId):
                // HF applies template type ids even when special tokens are off.
                guard let part = isFirst ? first : second else { continue }
                out.append(contentsOf: part, typeId: typeId)
            case .special(let ids, let tokens, let typeId):
                guard addSpecialTokens else { continue }
                for (id, token) in zip(ids, tokens) {
                    out.append(id: id, token: token, typeId: typeId, special: true, offset: TokenOffset(start: 0, end: 0))
                }
            }
        }
        return out
    }
}
