#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// HF's RobertaProcessing: `<s> A </s>` and `<s> A </s> </s> B </s>`, every type
/// id 0; with `trim_offsets`, offsets lose the spaces a byte-level token carries.
struct RobertaProcessing: PostProcessor {
    let cls: (token: String, id: Int32)
    let sep: (token: String, id: Int32)
    let trimOffsets: Bool
    let addPrefixSpace: Bool

    init(_ json: JSONObject) throws {
        cls = try json.specialTokenPair("cls")
        sep = try json.specialTokenPair("sep")
        trimOffsets = try json.bool("trim_offsets") ?? true
        addPrefixSpace = try json.bool("add_prefix_space") ?? true
    }

    func addedTokenCount(isPair: Bool) -> Int { isPair ? 4 : 2 }

    func process(_ first: Encoding, _ second: Encoding?, addSpecialTokens: Bool) -> Encoding {
        var a = first
        var b = second
        if trimOffsets {
            ByteLevelOffsets.trim(&a, addPrefixSpace: addPrefixSpace)
            if b != nil { ByteLevelOffsets.trim(&b!, addPrefixSpace: addPrefixSpace) }
        }
        a.setTypeIds(0)
        b?.setTypeIds(0)
        guard addSpecialTokens else {
            if let b { a.append(contentsOf: b) }
            return a
        }
        let none = TokenOffset(start: 0, end: 0)
        var out = Encoding()
        out.append(id: cls.id, token: cls.token, typeId: 0, special: true, offset: none)
        out.append(contentsOf: a)
        out.append(id: sep.id, token: sep.token, typeId: 0, special: true, offset: none)
        if let b {
            out.append(id: sep.id, token: sep.token, typeId: 0, special: true, offset: none)
            out.append(contentsOf: b)
            out.append(id: sep.id, token: sep.token, typeId: 0, special: true, offset: none)
        }
        return out
    }
}

/// HF's byte-level offset trimming (`process_offsets`): a token's leading and
/// trailing spaces (`Ġ`, the byte-level space, or any whitespace) are cut from
/// its offsets — except the one space `add_prefix_space` put before the first token.
enum ByteLevelOffsets {
    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        s.value == 0x120 || HFCharacterClasses.isWhitespace(s.value)
    }

    static func trim(_ encoding: inout Encoding, addPrefixSpace: Bool) {
        for i in 0..<encoding.count {
            let scalars = encoding.tokens[i].unicodeScalars
            var leading = 0
            for s in scalars {
                if !isSpace(s) { break }
                leading += 1
            }
            var trailing = 0
            for s in scalars.reversed() {
                if !isSpace(s) { break }
                trailing += 1
            }
            guard leading > 0 || trailing > 0 else { continue }
            var offset = encoding.offsets[i]
            if leading > 0 {
                let isFirst = i == 0 || offset.start == 0
                if isFirst && addPrefixSpace && leading == 1 { leading = 0 }
                offset.start = min(offset.start + leading, offset.end)
            }
            if trailing > 0 && offset.end >= trailing {
                offset.end = max(offset.end - trailing, offset.start)
            }
            encoding.offsets[i] = offset
        }
    }
}

extension JSONObject {
    /// A `[token, id]` pair, as BertProcessing and RobertaProcessing write `cls` and `sep`.
    func specialTokenPair(_ key: String) throws -> (token: String, id: Int32) {
        guard let array = raw(key) as? [Any], array.count == 2,
            let token = array[0] as? String, let id = (array[1] as? NSNumberLike)?.int32
        else {
            throw TokenizerError.invalidField(fieldPath(key), "expected [token, id]")
        }
        return (token, id)
    }
}
