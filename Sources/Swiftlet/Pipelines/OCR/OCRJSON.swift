/// The JSON form of an OCR result, one object per image:
/// `{"image":NAME,"lines":[{"box":[[x,y],…4],"text":"…","score":S},…]}`.
/// `swiftlet ocr` prints it and the C ABI's swiftlet_ocr_result_json returns it, so a
/// program can switch between the two without a second parser. With page orientation on, an
/// `"orientation"` member (the clockwise turn in degrees that was undone) follows `"lines"`.
public enum OCRJSON {
    /// image: the name to record (the CLI's path argument); nil writes `null`, for images
    /// that came from memory.
    public static func object(image: String?, lines: [OCRLine], orientation: Int? = nil) -> String {
        let items = lines.map { l in
            let box = "[" + l.box.map { "[\(JSONOut.float($0.x)),\(JSONOut.float($0.y))]" }.joined(separator: ",") + "]"
            return "{\"box\":\(box),\"text\":\(JSONOut.string(l.text)),\"score\":\(JSONOut.float(l.score))}"
        }
        let name = image.map(JSONOut.string) ?? "null"
        let turn = orientation.map { ",\"orientation\":\($0)" } ?? ""
        return "{\"image\":\(name),\"lines\":[\(items.joined(separator: ","))]\(turn)}"
    }
}
