"""RapidOCR 3.10.0 end to end, per image: the reference side of `tools/bench_ocr.py --pipeline
--models ppocrv6`. Runs in RapidOCR 3's own venv (tools/make-rapidocr3-venv.sh):

    .venv-rapidocr3/bin/python -c 'import sys; sys.path.insert(0, "tools"); \
        from swiftlet_tools.bench.rapidocr3_timing import main; main()' SET THREADS RUNS WARMUP IMAGE...

SET is a model set of golden/ppocrv6_reference.py (ppocrv6, ppocrv6-tiny). Each image is
timed from its path (decoding included, as `swiftlet bench-ocr` times it) with the engine
loaded once; prints one JSON line per image: image, median_ms, min_ms, lines.
"""
import json
import sys
import time

import numpy as np


def main():
    name, threads, runs, warmup, *paths = sys.argv[1:]
    threads, runs, warmup = int(threads), int(runs), int(warmup)
    from rapidocr import RapidOCR

    from ..golden.ppocrv6_reference import SETS, check_version, onnx_path

    check_version()
    det, rec, cls = (onnx_path(f) for f in SETS[name][0])
    engine = RapidOCR(params={
        "Global.log_level": "warning",
        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        "Det.model_path": det, "Rec.model_path": rec, "Cls.model_path": cls,
    })
    for p in paths:
        times, lines = [], 0
        for i in range(runs + warmup):
            t0 = time.perf_counter()
            out = engine(p)
            if i >= warmup:
                times.append((time.perf_counter() - t0) * 1000)
            lines = len(getattr(out, "txts", None) or ())
        print(json.dumps({"image": p, "median_ms": float(np.median(times)), "min_ms": float(np.min(times)), "lines": lines}),
              flush=True)
