"""Calibration for smoothing: the texts, and max|x| per input channel of every encoder
Linear of a Hugging Face checkpoint, measured in torch (the --hf-dir route)."""

import json
import os
from typing import Dict, List

import numpy as np

from ..paths import TOOLS
from .errors import ConvertError

DEFAULT_CALIBRATION = os.path.join(TOOLS, "bench", "corpus-1000.jsonl")
DEFAULT_TEXTS = 256
BATCH = 32


def check_not_golden(path: str) -> None:
    """golden/corpus/* are what the tests measure quality on; calibrating on them would
    grade the converter on its own training data. Any golden/ folder is refused (also
    another checkout's)."""
    parts = os.path.realpath(path).split(os.sep)
    if "golden" in parts[:-1]:
        raise ConvertError(f"--calibration {path}: files under golden/ are test data, not calibration "
                           f"data (use e.g. {os.path.relpath(DEFAULT_CALIBRATION)})")


def calibration_texts(path: str, n: int) -> List[str]:
    """The first n texts of a JSONL file of {"text": ...} objects."""
    check_not_golden(path)
    if n < 1:
        raise ConvertError(f"--calibration-texts {n}: need at least 1")
    texts: List[str] = []
    try:
        with open(path, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    text = json.loads(line)["text"]
                except (ValueError, KeyError, TypeError):
                    raise ConvertError(f"{path}:{lineno}: expected a JSON object with a \"text\" string")
                if not isinstance(text, str):
                    raise ConvertError(f"{path}:{lineno}: \"text\" is not a string")
                texts.append(text)
                if len(texts) == n:
                    break
    except OSError as e:
        raise ConvertError(f"--calibration: cannot read {path}: {e.strerror}")
    if not texts:
        raise ConvertError(f"--calibration {path}: no texts")
    return texts


def _batches(texts: List[str]) -> List[List[str]]:
    # Similar lengths together: less padding to run through the model.
    ordered = sorted(texts, key=len)
    return [ordered[i:i + BATCH] for i in range(0, len(ordered), BATCH)]


def hf_linear_input_maxima(hf_dir: str, texts: List[str], max_length: int) -> Dict[str, np.ndarray]:
    """{module name under the base model (e.g. "encoder.layer.0.attention.self.query"):
    max|x| per input channel over every real token}. Padding positions are left out: they
    never reach Swift's GEMM as rows that matter, and their values can be anything."""
    try:
        import torch
        import transformers
        from transformers import AutoModel, AutoTokenizer
    except ImportError as e:
        raise ConvertError(f"smoothing needs torch and transformers ({e}); pass --no-smooth")
    torch.set_num_threads(2)  # a shared machine: calibration is small, keep it polite
    transformers.logging.set_verbosity_error()  # its notes and progress bars are not the converter's
    transformers.logging.disable_progress_bar()
    tokenizer = AutoTokenizer.from_pretrained(hf_dir)
    model = AutoModel.from_pretrained(hf_dir, dtype=torch.float32).eval()

    maxima: Dict[str, "torch.Tensor"] = {}
    real = {}  # the current batch's token mask, for the hooks

    def hook(name):
        def record(_module, inputs):
            x = inputs[0][real["mask"]].abs().amax(dim=0)
            maxima[name] = x if name not in maxima else torch.maximum(maxima[name], x)
        return record

    handles = [m.register_forward_pre_hook(hook(f"encoder.{name}"))
               for name, m in model.encoder.named_modules() if isinstance(m, torch.nn.Linear)]
    if not handles:
        raise ConvertError(f"{hf_dir}: no nn.Linear under the model's encoder to calibrate")
    try:
        with torch.inference_mode():
            for batch in _batches(texts):
                enc = tokenizer(batch, padding=True, truncation=True, max_length=max_length,
                                return_tensors="pt")
                real["mask"] = enc["attention_mask"].bool()
                model(**enc)
    finally:
        for h in handles:
            h.remove()
    return {name: v.double().numpy() for name, v in maxima.items()}
