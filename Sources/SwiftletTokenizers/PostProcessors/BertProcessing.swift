#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// HF's BertProcessing: `[CLS] A [SEP]` and `[CLS] A [SEP] B [SEP]`, with B typed 1.
struct BertProcessing: PostProcessor {
    let cls: (token: String, id: Int32)
    let sep: (token: String, id: Int32)

    init(_ json: JSONObject) throws {
        cls = try json.specialTokenPair("cls")
        sep = try json.specialTokenPair("sep")
    }

    func addedTokenCount(isPair: Bool) -> Int { isPair ? 3 : 2 }

    func process(_ first: Encoding, _ second: Encoding?, addSpecialTokens: Bool) -> Encoding {
        guard addSpecialTokens else {
            var out = first
            if let second { out.append(contentsOf: second) }
            return out
        }
        let none = TokenOffset(start: 0, end: 0)
        var out = Encoding()
        out.reserveCapacity(first.count + (second?.count ?? 0) + addedTokenCount(isPair: second != nil))
        out.append(id: cls.id, token: cls.token, typeId: 0, special: true, offset: none)
        out.append(contentsOf: first, typeId: 0)
        out.append(id: sep.id, token: sep.token, typeId: 0, special: true, offset: none)
        if let b = second {
            out.append(contentsOf: b, typeId: 1)
            out.append(id: sep.id, token: sep.token, typeId: 1, special: true, offset: none)
        }
        return out
    }
}
