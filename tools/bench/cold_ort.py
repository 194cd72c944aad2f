"""Cold-start reference for tools/bench.py: the least a Python user does to get one
embedding from onnxruntime. Import, load session + tokenizer, embed, print.

    cold_ort.py MODEL.onnx TOKENIZER.json THREADS TEXT
"""
import sys

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

onnx_path, tok_path, threads, text = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
so = ort.SessionOptions()
so.intra_op_num_threads = threads
so.inter_op_num_threads = 1
so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
session = ort.InferenceSession(onnx_path, sess_options=so, providers=["CPUExecutionProvider"])
tok = Tokenizer.from_file(tok_path)
tok.no_padding()
tok.enable_truncation(max_length=256)
enc = tok.encode(text)
ids = np.array([enc.ids], dtype=np.int64)
mask = np.array([enc.attention_mask], dtype=np.int64)
hidden = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
v = (hidden * mask[:, :, None]).sum(axis=1)[0] / mask.sum()
v /= np.linalg.norm(v)
print('{"embedding":[' + ",".join(repr(float(x)) for x in v) + "]}", flush=True)
