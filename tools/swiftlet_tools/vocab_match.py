"""Checks that an ONNX embedder shipped without a tokenizer uses the same vocabulary as a
checkpoint whose tokenizer it borrows: both tables have the same number of rows, and each
word-embedding row's nearest neighbour in the other table (by cosine) is the row of the same
id for nearly every id. Two fine-tunes of one base model keep their embedding rows close; a
different or reordered vocabulary gives near-zero same-id cosines (a shuffled table: median
about 0.01), so this catches a mismatch the tokenizer alone could not show.

    python -m swiftlet_tools.vocab_match ONNX ONNX_TENSOR SAFETENSORS SAFETENSORS_TENSOR_SUFFIX
"""

import sys

import numpy as np

SAMPLE = 4000        # ids checked by nearest neighbour (the full 30522 x 30522 product is slow)
MIN_NN_MATCH = 0.99  # share of sampled ids whose nearest neighbour is the same id


def unit_rows(a: np.ndarray) -> np.ndarray:
    return a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)


def main() -> int:
    if len(sys.argv) != 5:
        sys.stderr.write(__doc__)
        return 2
    onnx_path, onnx_name, st_path, st_suffix = sys.argv[1:]
    import onnx
    from onnx import numpy_helper
    from safetensors.numpy import load_file

    m = onnx.load(onnx_path)
    a = next((numpy_helper.to_array(t) for t in m.graph.initializer if t.name == onnx_name), None)
    if a is None:
        sys.exit(f"vocab_match: {onnx_path} has no initializer {onnx_name!r}")
    st = load_file(st_path)
    key = next((k for k in st if k.endswith(st_suffix)), None)
    if key is None:
        sys.exit(f"vocab_match: {st_path} has no tensor ending in {st_suffix!r}")
    b = st[key]
    if a.shape != b.shape:
        sys.exit(f"vocab_match: vocabulary sizes differ: {onnx_path} {a.shape} vs {st_path} {b.shape}")
    an, bn = unit_rows(a.astype(np.float32)), unit_rows(b.astype(np.float32))
    same = (an * bn).sum(1)
    ids = np.random.default_rng(0).choice(len(a), min(SAMPLE, len(a)), replace=False)
    nn = (an[ids] @ bn.T).argmax(1)
    share = float((nn == ids).mean())
    print(f"vocab_match: {a.shape[0]} rows each; same-id cosine median {np.median(same):.3f}; "
          f"nearest neighbour is the same id for {share:.2%} of {len(ids)} sampled ids")
    if share < MIN_NN_MATCH:
        sys.exit(f"vocab_match: only {share:.2%} of sampled ids match (need {MIN_NN_MATCH:.0%}): "
                 "the vocabularies differ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
