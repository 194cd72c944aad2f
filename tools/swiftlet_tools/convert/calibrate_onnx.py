"""Calibration for smoothing on the --onnx route: onnxruntime runs the source model with
the MatMul A inputs as extra graph outputs, on texts tokenized with the tokenizer.json the
.swl will carry. Only text encoders (input_ids [+ attention_mask, token_type_ids])."""

from typing import Dict, List, Optional, Tuple

import numpy as np

from .calibrate import BATCH
from .errors import ConvertError

TEXT_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def unsupported_reason(graph: dict, tokenizer: Optional[str]) -> Optional[str]:
    """Why this model cannot be calibrated on texts, or None."""
    names = [i["name"] for i in graph["inputs"]]
    if "input_ids" not in names:
        return "it has no input_ids input"
    extra = [n for n in names if n not in TEXT_INPUTS]
    if extra:
        return f"inputs other than {', '.join(TEXT_INPUTS)}: {', '.join(extra)}"
    if not tokenizer:
        return "no tokenizer.json (pass --tokenizer)"
    return None


def _session(onnx_path: str, values: List[str]):
    try:
        import onnx
        import onnxruntime as ort
    except ImportError as e:
        raise ConvertError(f"smoothing an ONNX model needs onnx and onnxruntime ({e}); pass --no-smooth")
    model = onnx.load(onnx_path)
    present = {o.name for o in model.graph.output}
    for v in values:
        if v not in present:
            model.graph.output.append(onnx.helper.make_tensor_value_info(v, onnx.TensorProto.FLOAT, None))
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 2  # a shared machine
    # No graph optimizations: fusions may remove the very values we ask for.
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    try:
        sess = ort.InferenceSession(model.SerializeToString(), opts, providers=["CPUExecutionProvider"])
    except Exception as e:  # onnxruntime raises its own types for every kind of refusal
        raise ConvertError(f"onnxruntime cannot run {onnx_path} for calibration ({e}); pass --no-smooth")
    return sess, [i.name for i in sess.get_inputs()]


def _feeds(tokenizer, texts: List[str], inputs: List[str]) -> Tuple[Dict[str, np.ndarray], np.ndarray]:
    encs = tokenizer.encode_batch(texts)
    width = max(len(e.ids) for e in encs)
    # Padding sits after the real tokens and is masked out of attention and of the maxima,
    # so its id does not matter.
    feeds = {k: np.zeros((len(encs), width), dtype=np.int64) for k in TEXT_INPUTS}
    for row, e in enumerate(encs):
        n = len(e.ids)
        feeds["input_ids"][row, :n] = e.ids
        feeds["attention_mask"][row, :n] = 1
        feeds["token_type_ids"][row, :n] = e.type_ids
    return {k: feeds[k] for k in inputs}, feeds["attention_mask"].astype(bool)


def onnx_matmul_input_maxima(onnx_path: str, values: List[str], tokenizer_path: str, texts: List[str],
                             max_length: int) -> Dict[str, np.ndarray]:
    """{value name: max|x| over its last axis' channels, real tokens only}."""
    from tokenizers import Tokenizer
    tokenizer = Tokenizer.from_file(tokenizer_path)
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length)
    sess, inputs = _session(onnx_path, values)
    maxima: Dict[str, np.ndarray] = {}
    ordered = sorted(texts, key=len)
    for i in range(0, len(ordered), BATCH):
        feeds, mask = _feeds(tokenizer, ordered[i:i + BATCH], inputs)
        for name, x in zip(values, sess.run(values, feeds)):
            rows = x[mask] if x.shape[:2] == mask.shape else x.reshape(-1, x.shape[-1])
            m = np.abs(rows).max(axis=0).astype(np.float64)
            maxima[name] = m if name not in maxima else np.maximum(maxima[name], m)
    return maxima
