import Foundation

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
        out.append(id: cls.id, token: cls.token, typeId: 0, special: true, offset: none)
        var a = first
        a.setTypeIds(0)
        out.append(contentsOf: a)
        out.append(id: sep.id, token: sep.token, typeId: 0, special: true, offset: none)
        if var b = second {
            b.setTypeIds(1)
            out.append(contentsOf: b)
            out.append(id: sep.id, token: sep.token, typeId: 1, special: true, offset: none)
        }
        return out
    }
}
