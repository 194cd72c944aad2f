#!/usr/bin/env python3
"""Export a Hugging Face BERT encoder (e.g. all-MiniLM-L6-v2) to ONNX.

Usage:
    python tools/export_onnx.py --hf-dir DIR --opset {14,17} --out FILE.onnx

The model is loaded from local files only (no hub access), in eval mode and
fp32, and exported with torch's classic TorchScript exporter (dynamo=False).

Graph interface:
    inputs : input_ids, attention_mask, token_type_ids   int64 [batch, sequence]
    output : last_hidden_state                           float32 [batch, sequence, hidden]

Before the file is written, onnxruntime runs the exported graph on a few
probe batches (including right padding) and the result is compared against
torch; the export is rejected if max |diff| >= --tol (default 1e-4).

Attention implementation: transformers 5.x defaults BERT to "sdpa". The
default is tried first; if it fails to export, or its ONNX output does not
match torch, the script retries with attn_implementation="eager" and says so.
Use --attn to force one of them.
"""

import argparse
import os
import sys
import tempfile

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402
import torch  # noqa: E402

INPUT_NAMES = ["input_ids", "attention_mask", "token_type_ids"]
OUTPUT_NAMES = ["last_hidden_state"]


class Wrapper(torch.nn.Module):
    """Fixes the positional argument order and returns only last_hidden_state."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, token_type_ids):
        out = self.model(
            input_ids=input_ids,
            attention_mask=attention_mask,
            token_type_ids=token_type_ids,
            return_dict=True,
        )
        return out.last_hidden_state


def load_model(hf_dir, attn, fp16=False):
    from transformers import AutoModel

    kwargs = dict(local_files_only=True, dtype=torch.float32)
    if attn is not None:
        kwargs["attn_implementation"] = attn
    try:
        model = AutoModel.from_pretrained(hf_dir, **kwargs)
    except TypeError:
        # transformers 4.x spells it torch_dtype
        kwargs["torch_dtype"] = kwargs.pop("dtype")
        model = AutoModel.from_pretrained(hf_dir, **kwargs)
    model = model.float().eval()
    if fp16:
        # --fp16: torch's own half-precision model (fp16 weights and activations; the
        # export keeps the int64 inputs and Casts the attention mask to fp16).
        model = model.half()
    return model


def probe_batches(vocab_size, seed=1234):
    """Deterministic probe inputs: varied batch/sequence sizes and right padding."""
    g = np.random.default_rng(seed)
    batches = []
    for b, s in [(2, 9), (1, 5), (3, 17), (4, 64)]:
        ids = g.integers(1000, vocab_size, size=(b, s), dtype=np.int64)
        ids[:, 0] = 101  # [CLS]
        mask = np.ones((b, s), dtype=np.int64)
        # right padding on every row but the first
        for r in range(1, b):
            n = max(2, s - 3 * r)
            ids[r, n - 1] = 102  # [SEP]
            ids[r, n:] = 0
            mask[r, n:] = 0
        ids[0, s - 1] = 102
        tt = np.zeros((b, s), dtype=np.int64)
        batches.append((ids, mask, tt))
    return batches


def do_export(wrapper, opset, path):
    ids = torch.tensor([[101, 7592, 2088, 102, 0], [101, 2023, 2003, 1037, 102]], dtype=torch.int64)
    mask = torch.tensor([[1, 1, 1, 1, 0], [1, 1, 1, 1, 1]], dtype=torch.int64)
    tt = torch.zeros_like(ids)
    dyn = {"batch", "sequence"}
    dynamic_axes = {
        "input_ids": {0: "batch", 1: "sequence"},
        "attention_mask": {0: "batch", 1: "sequence"},
        "token_type_ids": {0: "batch", 1: "sequence"},
        "last_hidden_state": {0: "batch", 1: "sequence"},
    }
    assert all(set(v.values()) <= dyn for v in dynamic_axes.values())
    with torch.no_grad():
        torch.onnx.export(
            wrapper,
            (ids, mask, tt),
            path,
            input_names=INPUT_NAMES,
            output_names=OUTPUT_NAMES,
            dynamic_axes=dynamic_axes,
            opset_version=opset,
            do_constant_folding=True,
            export_params=True,
            dynamo=False,
        )


def check_with_ort(wrapper, path, vocab_size):
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    worst = 0.0
    for ids, mask, tt in probe_batches(vocab_size):
        with torch.no_grad():
            ref = wrapper(torch.from_numpy(ids), torch.from_numpy(mask), torch.from_numpy(tt)).numpy()
        got = sess.run(OUTPUT_NAMES, {"input_ids": ids, "attention_mask": mask, "token_type_ids": tt})[0]
        ref, got = ref.astype(np.float32), got.astype(np.float32)
        if got.shape != ref.shape:
            raise RuntimeError(f"shape mismatch: onnx {got.shape} vs torch {ref.shape}")
        # compare only real (unpadded) positions; padded rows are garbage by design
        valid = mask.astype(bool)
        d = float(np.max(np.abs(got[valid] - ref[valid])))
        worst = max(worst, d)
        print(f"  probe batch {ids.shape}: max|onnx - torch| on valid tokens = {d:.3e}")
    return worst


def op_types(path):
    import onnx

    m = onnx.load(path)
    ops = sorted({n.op_type for n in m.graph.node})
    return ops, m


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hf-dir", required=True, help="local Hugging Face model directory")
    ap.add_argument("--opset", type=int, required=True, choices=[14, 17])
    ap.add_argument("--out", required=True, help="output .onnx path")
    ap.add_argument("--attn", choices=["sdpa", "eager"], default=None,
                    help="force an attention implementation (default: try transformers' default, fall back to eager)")
    ap.add_argument("--tol", type=float, default=None,
                    help="max |onnx - torch| on valid tokens (default 1e-4; 5e-2 with --fp16: torch CPU and "
                         "onnxruntime round fp16 intermediates at different points)")
    ap.add_argument("--fp16", action="store_true",
                    help="export the model in float16 (model.half()): fp16 weights, activations and output")
    args = ap.parse_args()

    if args.tol is None:
        args.tol = 5e-2 if args.fp16 else 1e-4
    torch.manual_seed(0)
    torch.set_num_threads(1)

    attempts = [args.attn] if args.attn else [None, "eager"]
    last_err = None
    for attn in attempts:
        model = load_model(args.hf_dir, attn, args.fp16)
        impl = getattr(model.config, "_attn_implementation", None)
        print(f"transformers attention implementation: {impl}"
              + (" (forced)" if attn else " (library default)"))
        wrapper = Wrapper(model).eval()
        vocab_size = int(model.config.vocab_size)
        out_dir = os.path.dirname(os.path.abspath(args.out))
        os.makedirs(out_dir, exist_ok=True)
        fd, tmp = tempfile.mkstemp(suffix=".onnx", dir=out_dir)
        os.close(fd)
        try:
            do_export(wrapper, args.opset, tmp)
            worst = check_with_ort(wrapper, tmp, vocab_size)
            if not worst < args.tol:
                raise RuntimeError(f"onnxruntime output differs from torch: max abs diff {worst:.3e} >= {args.tol}")
            ops, m = op_types(tmp)
            os.replace(tmp, args.out)
        except Exception as e:  # noqa: BLE001
            last_err = e
            if os.path.exists(tmp):
                os.remove(tmp)
            print(f"export with attention implementation {impl!r} failed: {type(e).__name__}: {e}", file=sys.stderr)
            if attn is None and "eager" in attempts:
                print("retrying with attn_implementation='eager'", file=sys.stderr)
            continue
        opsets = {o.domain or "ai.onnx": o.version for o in m.opset_import}
        print(f"wrote {args.out} ({os.path.getsize(args.out)} bytes), opset_import={opsets}, "
              f"attention implementation={impl}, max|onnx - torch|={worst:.3e}")
        print(f"nodes: {len(m.graph.node)}; op types ({len(ops)}): {', '.join(ops)}")
        return 0
    print(f"export failed: {last_err}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
