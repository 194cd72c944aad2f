"""What a quantized .swl's weights alone cost an embedder: the sentence-transformers model
runs a corpus once with its own float32 weights and once per file with the weights decoded
from that file; reported are the per-text cosine, the overlap of every text's top-10
neighbours, and a small query -> passage search: the first --queries texts (golden/corpus/en.jsonl
opens with 30 search queries) each retrieve their top 10 among the other texts, and the
overlap with the float32 model's top 10 is averaged.

    python tools/quant_quality.py models/all-MiniLM-L6-v2-int8.swl [more.swl …] \\
        [--hf-dir models/src/all-MiniLM-L6-v2] [--corpus golden/corpus/en.jsonl] [--threads 1]

Files of the --hf-dir route only (tensor names are the checkpoint's, `X.T` is X transposed);
a smoothed weight (SmoothQuant, `X.T.smooth_inv` beside it) is divided back by its factors,
and with --act its layer's input is multiplied by them before rounding, as Swift does.
`--act` also rounds the inputs of every quantized Linear the way an integer kernel would
(`row`: int8 with one scale per row, max|a|/127; `block`: Q8_0 blocks of 32 along the row;
`auto`: row for int8 weights, block for Q8_0/Q4_0; `none`: float32 activations, i.e. what
the weights alone cost)."""

import argparse
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402

from .convert.bert_graph import CHECKPOINT_PREFIXES  # noqa: E402
from .errors import ToolError  # noqa: E402
from .golden.embedder import load_corpus  # noqa: E402
from .paths import REPO  # noqa: E402
from .swl.encoding import storage_type  # noqa: E402
from .swl.quantize import relative_errors  # noqa: E402
from .swl.reader import read_swl_header  # noqa: E402
from .swl.tensors import load_tensors  # noqa: E402

TOP_K = 10


def _param_key(name: str, state: dict) -> str:
    base = name[:-2] if name.endswith(".T") else name
    for p in CHECKPOINT_PREFIXES:
        if base.startswith(p) and base[len(p):] in state:
            return base[len(p):]
    raise ToolError(f"tensor {name!r} is not a parameter of the model (is the file from the --hf-dir route?)")


def _embed(model, texts):
    return model.encode(texts, batch_size=32, convert_to_numpy=True, normalize_embeddings=True)


def _neighbours(emb: np.ndarray) -> np.ndarray:
    sims = emb @ emb.T
    np.fill_diagonal(sims, -np.inf)
    return np.argsort(-sims, axis=1)[:, :TOP_K]


def _search_overlap(ref: np.ndarray, emb: np.ndarray, queries: int) -> np.ndarray:
    """Per query (the first `queries` texts), |top-10 passages by emb ∩ by ref| / 10; the
    passages are all the other texts."""
    def top(e):
        return np.argsort(-(e[:queries] @ e[queries:].T), axis=1)[:, :TOP_K]
    return np.array([len(set(a) & set(b)) / TOP_K for a, b in zip(top(ref), top(emb))])


def _fake_quant(x, mode: str):
    """int8 round trip of activations; rows (or blocks) of zeros stay zero."""
    import torch
    shape = x.shape
    if mode == "block":
        x = x.reshape(*shape[:-1], shape[-1] // 32, 32)
    scale = x.abs().amax(dim=-1, keepdim=True) / 127
    safe = torch.where(scale > 0, scale, torch.ones_like(scale))
    y = torch.clamp(torch.round(x / safe), -127, 127) * scale
    return y.reshape(shape)


def _act_hooks(model, keys, kinds, smooth: dict, act: str):
    """Forward pre-hooks on the Linear modules whose weights were replaced (not on a Gather
    table: Swift decodes its rows, no activation is rounded). A smoothed layer's input is
    rounded after the factor t, then divided by it (the weight there is the unsmoothed one)."""
    import torch
    handles = []
    for key, kind in zip(keys, kinds):
        mode = act if act != "auto" else ("row" if kind == "int8" else "block")
        if mode == "none" or kind == "float16" or not key.endswith(".weight"):
            continue
        module = model[0].auto_model.get_submodule(key[:-len(".weight")])
        if not isinstance(module, torch.nn.Linear):
            continue
        t = smooth.get(key)
        if t is None:
            hook = lambda m, inp, mode=mode: (_fake_quant(inp[0], mode),)
        else:
            t = torch.from_numpy(t)
            hook = lambda m, inp, mode=mode, t=t: (_fake_quant(inp[0] * t, mode) / t,)
        handles.append(module.register_forward_pre_hook(hook))
    return handles


def _swap_in(path: str, state: dict, original: dict, smooth: dict):
    """Loads the file's encoded tensors into the model; returns per-tensor (name, kind, worst,
    rms, key) and fills `smooth` (parameter key -> smoothing factor t of its layer's input)."""
    import torch
    header, _, _ = read_swl_header(path)
    if header.get("provenance", {}).get("route") != "hf-dir":
        raise ToolError(f"{path}: not a file of the --hf-dir route")
    rows = {r["name"]: r for r in header["tensors"] if "encoding" in r}
    inv = {r["name"]: r for r in header["tensors"] if r["name"].endswith(".smooth_inv")}
    factors = load_tensors(path, inv) if inv else {}
    errors = []
    for name, arr in load_tensors(path, rows).items():
        key = _param_key(name, state)
        t = factors.get(name + ".smooth_inv")
        if t is not None:  # the file holds diag(1/t) · W [K, N]; the layer computes (x · t) · that
            smooth[key] = np.asarray(t, dtype=np.float32)
            arr = arr * smooth[key][:, None]
        value = arr.T if name.endswith(".T") else arr
        src = original[key].numpy()
        enc = rows[name]["encoding"]
        axis = enc.get("axis")
        if name.endswith(".T") and axis is not None:
            axis = 1 - axis
        errors.append((name, storage_type(rows[name]), *relative_errors(src, value, enc["type"], axis), key))
        with torch.no_grad():
            state[key].copy_(torch.from_numpy(np.ascontiguousarray(value)))
    return errors


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Embedding quality of quantized .swl weights (Python reference).")
    ap.add_argument("files", nargs="+", metavar="FILE.swl")
    models = os.environ.get("SWIFTLET_MODELS") or os.path.join(REPO, "models")
    ap.add_argument("--hf-dir", default=os.path.join(models, "src/all-MiniLM-L6-v2"),
                    help="the float32 source checkpoint (default: $SWIFTLET_MODELS/src/all-MiniLM-L6-v2)")
    ap.add_argument("--corpus", default=os.path.join(REPO, "golden/corpus/en.jsonl"))
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--queries", type=int, default=30,
                    help="the first N texts are the queries of the search check, the rest its passages")
    ap.add_argument("--act", choices=("none", "auto", "row", "block"), default="none",
                    help="round the quantized layers' inputs like an integer kernel (default: none)")
    args = ap.parse_args(argv)
    try:
        for p in [args.hf_dir, args.corpus] + args.files:
            if not os.path.exists(p):
                raise ToolError(f"not found: {p}" + (" (run tools/setup.sh)" if p == args.hf_dir else ""))
        import torch
        from sentence_transformers import SentenceTransformer
        torch.set_num_threads(args.threads)
        texts = load_corpus(args.corpus)
        model = SentenceTransformer(args.hf_dir, device="cpu")
        state = dict(model[0].auto_model.named_parameters())
        original = {k: v.detach().clone() for k, v in state.items()}
        ref = _embed(model, texts)
        ref_nn = _neighbours(ref)
        if not 0 < args.queries < len(texts) - TOP_K:
            raise ToolError(f"--queries {args.queries}: need 1..{len(texts) - TOP_K - 1} for {len(texts)} texts")
        print(f"corpus {args.corpus}: {len(texts)} texts; reference: float32 weights of {args.hf_dir}")
        for path in args.files:
            smooth: dict = {}
            errors = _swap_in(path, state, original, smooth)
            hooks = _act_hooks(model, [e[4] for e in errors], [e[1] for e in errors], smooth, args.act)
            emb = _embed(model, texts)
            for h in hooks:
                h.remove()
            cos = (ref * emb).sum(axis=1)
            nn = _neighbours(emb)
            overlap = np.array([len(set(a) & set(b)) / TOP_K for a, b in zip(ref_nn, nn)])
            search = _search_overlap(ref, emb, args.queries)
            worst = max(errors, key=lambda e: e[3]) if errors else None
            print(f"{os.path.basename(path)} (activations: {args.act}): {os.path.getsize(path):,} bytes, "
                  f"{len(errors)} encoded tensors; "
                  f"cosine min {cos.min():.5f} mean {cos.mean():.6f} (text {int(cos.argmin())}); "
                  f"top-{TOP_K} overlap mean {overlap.mean():.3f} min {overlap.min():.1f}; "
                  f"{args.queries} queries -> {len(texts) - args.queries} passages: top-{TOP_K} overlap "
                  f"mean {search.mean():.3f} min {search.min():.1f}")
            if worst:
                print(f"  largest weight error: {worst[0]} ({worst[1]}) rms {worst[3]:.2e} of rms(w), "
                      f"worst element {worst[2]:.2e} of its group's max")
            with torch.no_grad():
                for k, v in original.items():
                    state[k].copy_(v)
        return 0
    except ToolError as e:
        print(f"quant_quality: error: {e}", file=sys.stderr)
        return 1
