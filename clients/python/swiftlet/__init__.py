"""Swiftlet for Python: sentence embedders (dense and sparse), CLIP image-text embedders, cross-encoder rerankers, tokenizers, raw graph sessions and OCR on
the CPU, through libswiftlet.so (include/swiftlet.h) and ctypes.

    import swiftlet
    with swiftlet.Embedder("models/all-MiniLM-L6-v2.swl", threads=2) as e:
        vectors = e.embed(["Hello world", "Swiftlet"])   # numpy float32 [2, 384]
    with swiftlet.OCR("models/ppocrv4-det.swl", "models/ppocrv4-rec.swl", "models/ppocr-cls-v2.swl") as ocr:
        for line in ocr.run("photo.jpg").lines:         # .box [[x, y]] * 4, .text, .score
            print(line.text)

The library is $SWIFTLET_LIB if set, else the copy bundled in the wheel, else the
system's (ctypes.util.find_library("swiftlet")); library_path() says which was loaded.
Every failure raises SwiftletError with the library's status and message. Objects are
safe to share between threads: the library allows concurrent calls on one handle, and
ctypes releases the GIL during every call, so threads compute in parallel.
`python -m swiftlet embed|tokenize|ocr` mirrors the `swiftlet` CLI's JSON lines.
"""
from ._abi import ABI_VERSION
from ._handle import lib as _lib
from ._handle import lib_path as _lib_path
from ._library import loaded_path as _loaded_path
from .embedder import Embedder
from .errors import SwiftletError
from .image_embedder import ImageEmbedder
from .ocr import OCR, OCRLine, OCRResult
from .reranker import Ranked, Reranker
from .session import Session
from .sparse import SparseEmbedder, SparseVector
from .tokenizer import Tokenizer

__version__ = "1.3.0"  # ABI 1.3 (swiftlet.h); the package version follows the ABI it binds
__all__ = ["ABI_VERSION", "Embedder", "ImageEmbedder", "OCR", "OCRLine", "OCRResult", "Ranked", "Reranker", "Session", "SparseEmbedder", "SparseVector",
           "SwiftletError", "Tokenizer",
           "abi_version", "library_path"]


def abi_version() -> int:
    """The ABI version of the loaded library, (major << 16) | minor."""
    return int(_lib.swiftlet_abi_version())


def library_path() -> str:
    """The libswiftlet.so file this process loaded."""
    return _loaded_path(_lib_path)
