#!/usr/bin/env python3
"""onnxruntime's own dynamic int8 quantization of an ONNX model (a setup step).

    python tools/quantize_ort.py --onnx IN.onnx --out OUT.onnx

`onnxruntime.quantization.quantize_dynamic(IN, OUT, weight_type=QuantType.QInt8)` with its
defaults, as tools/bench_quant.py makes it: per-tensor symmetric int8 MatMul weights
(MatMulInteger with DynamicQuantizeLinear uint8 activations, then Cast → Mul by the two
scales), uint8 Gather tables followed by DequantizeLinear. The output is byte-deterministic
for a given input and onnxruntime version. Swiftlet runs the result through the --onnx
route (models/all-MiniLM-L6-v2-ort-int8.swl, tools/setup.d/50-ort-int8.sh).
"""
import argparse
import logging
import os
import sys


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--onnx", required=True, help="float32 ONNX model")
    ap.add_argument("--out", required=True, help="quantized ONNX model to write")
    a = ap.parse_args(argv)
    if not os.path.isfile(a.onnx):
        sys.exit(f"quantize_ort.py: error: {a.onnx} not found")
    from onnxruntime.quantization import QuantType, quantize_dynamic
    logging.getLogger().setLevel(logging.ERROR)  # the "consider pre-processing" hint
    tmp = a.out + ".tmp"
    quantize_dynamic(a.onnx, tmp, weight_type=QuantType.QInt8)
    os.replace(tmp, a.out)
    print(f"quantize_ort.py: wrote {a.out} ({os.path.getsize(a.out):,} bytes)")


if __name__ == "__main__":
    main()
