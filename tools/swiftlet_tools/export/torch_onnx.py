"""What the exporters share: torch's TorchScript exporter with named dynamic axes, and the
check that onnxruntime running the written file agrees with torch before the file is kept."""

import os
import sys
import tempfile
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np

Probe = Dict[str, np.ndarray]


def export(module, probe: Probe, path: str, outputs: List[str], dynamic_axes: Dict[str, Dict[int, str]],
           opset: int) -> None:
    import torch
    names = list(probe)
    args = tuple(torch.from_numpy(probe[n]) for n in names)
    with torch.no_grad():
        torch.onnx.export(module, args, path, input_names=names, output_names=outputs, dynamic_axes=dynamic_axes,
                          opset_version=opset, do_constant_folding=True, export_params=True, dynamo=False)


def max_diff_vs_torch(module, path: str, probes: Sequence[Probe], output: str) -> float:
    """Largest |onnxruntime - torch| of `output` over the probe inputs (1 thread each)."""
    import onnxruntime as ort
    import torch
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    worst = 0.0
    for p in probes:
        with torch.no_grad():
            want = module(*(torch.from_numpy(v) for v in p.values())).numpy()
        got = sess.run([output], p)[0]
        if got.shape != want.shape:
            raise RuntimeError(f"{output}: onnxruntime shape {got.shape}, torch {want.shape}")
        d = float(np.max(np.abs(got - want)))
        print(f"  probe {', '.join(f'{k}{list(v.shape)}' for k, v in p.items())}: max |onnx - torch| {d:.3e}",
              file=sys.stderr)
        worst = max(worst, d)
    return worst


def export_checked(make: Callable[[Optional[str]], object], path: str, example: Probe, probes: Sequence[Probe],
                   output: str, dynamic_axes: Dict[str, Dict[int, str]], opset: int, tol: float = 1e-4) -> str:
    """Exports make(attn)'s module to `path` with transformers' default attention, then with
    "eager" if that fails to export or to match torch within `tol`; returns the implementation
    kept. The file appears only once it has matched."""
    errors: List[Tuple[str, str]] = []
    for attn in (None, "eager"):
        module = make(attn)
        fd, tmp = tempfile.mkstemp(suffix=".onnx", dir=os.path.dirname(os.path.abspath(path)) or ".")
        os.close(fd)
        label = attn or "default"
        try:
            export(module, example, tmp, [output], dynamic_axes, opset)
            worst = max_diff_vs_torch(module, tmp, probes, output)
            if not worst <= tol:
                raise RuntimeError(f"onnxruntime differs from torch by {worst:.3e} > {tol}")
            os.replace(tmp, path)
            print(f"wrote {path} (opset {opset}, attention {label}, max |onnx - torch| {worst:.3e})", file=sys.stderr)
            return label
        except Exception as e:  # noqa: BLE001 (any exporter failure means: try eager)
            errors.append((label, f"{type(e).__name__}: {e}"))
            print(f"export with attention {label} failed: {errors[-1][1]}", file=sys.stderr)
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)
    raise RuntimeError(f"could not export {path}: " + "; ".join(f"{a}: {e}" for a, e in errors))
