"""The C declarations of include/swiftlet.h that the bindings call, as ctypes types."""
from __future__ import annotations

import ctypes
from typing import Dict, List, Tuple, Type

import numpy as np

# SWIFTLET_ABI_VERSION of the header these bindings follow: (major << 16) | minor.
ABI_VERSION_MAJOR = 1
ABI_VERSION_MINOR = 3
ABI_VERSION = (ABI_VERSION_MAJOR << 16) | ABI_VERSION_MINOR

STATUS_BUFFER_TOO_SMALL = 4  # SWIFTLET_ERR_BUFFER_TOO_SMALL: the answer of a size query
MAX_RANK = 16

PREFIXES = {"none": 0, "query": 1, "passage": 2}
DTYPES: Dict[int, np.dtype] = {1: np.dtype(np.float32), 2: np.dtype(np.float16), 3: np.dtype(np.int64),
                               4: np.dtype(np.int32), 5: np.dtype(np.int8), 6: np.dtype(np.uint8),
                               7: np.dtype(np.bool_)}
DTYPE_CODES = {v: k for k, v in DTYPES.items()}
OCR_PRESETS = {"rapidocr": 0, "paddle": 1}
PIXEL_FORMATS = {"rgb": 1, "bgr": 2, "rgba": 3, "bgra": 4, "gray": 5}
CHANNELS = {"rgb": 3, "bgr": 3, "rgba": 4, "bgra": 4, "gray": 1}


class ValueInfo(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("dtype", ctypes.c_int32), ("rank", ctypes.c_size_t),
                ("dims", ctypes.POINTER(ctypes.c_int64))]


class Tensor(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("dtype", ctypes.c_int32), ("rank", ctypes.c_size_t),
                ("shape", ctypes.POINTER(ctypes.c_int64)), ("data", ctypes.c_void_p), ("byte_count", ctypes.c_size_t)]


class EmbedderOptions(ctypes.Structure):
    _fields_ = [("threads", ctypes.c_int32), ("batch_size", ctypes.c_int32)]


class SessionOptions(ctypes.Structure):
    _fields_ = [("threads", ctypes.c_int32)]


class OCROptions(ctypes.Structure):
    _fields_ = [("threads", ctypes.c_int32), ("preset", ctypes.c_int32), ("det_thresh", ctypes.c_float),
                ("box_thresh", ctypes.c_float), ("unclip_ratio", ctypes.c_float), ("text_score", ctypes.c_float),
                ("limit_side_len", ctypes.c_int32), ("reserved", ctypes.c_int32 * 9)]


class OCRLineC(ctypes.Structure):
    _fields_ = [("box", ctypes.c_float * 8), ("text", ctypes.POINTER(ctypes.c_char)), ("text_length", ctypes.c_size_t),
                ("score", ctypes.c_float)]


_P, _S, _U32, _I32 = ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint32, ctypes.c_int32
_PS = ctypes.POINTER(ctypes.c_size_t)
_PP = ctypes.POINTER(ctypes.c_void_p)
_STR = ctypes.c_char_p

SIGNATURES: Dict[str, Tuple[List[type], Type]] = {
    "swiftlet_abi_version": ([], _U32),
    "swiftlet_check_abi": ([_U32], _I32),
    "swiftlet_last_error": ([], _STR),
    "swiftlet_status_name": ([_I32], _STR),
    "swiftlet_embedder_open": ([_STR, ctypes.POINTER(EmbedderOptions), _PP], _I32),
    "swiftlet_embedder_close": ([_P], _I32),
    "swiftlet_embedder_dimension": ([_P, _PS], _I32),
    "swiftlet_embedder_embed": ([_P, ctypes.POINTER(_STR), _PS, _S, _I32, ctypes.POINTER(ctypes.c_float), _S], _I32),
    "swiftlet_embedder_embed_with_prefix": ([_P, ctypes.POINTER(_STR), _PS, _S, _STR, _S,
                                             ctypes.POINTER(ctypes.c_float), _S], _I32),
    "swiftlet_sparse_embedder_open": ([_STR, ctypes.POINTER(EmbedderOptions), _PP], _I32),
    "swiftlet_sparse_embedder_close": ([_P], _I32),
    "swiftlet_sparse_embedder_dimension": ([_P, _PS], _I32),
    "swiftlet_sparse_embedder_embed": ([_P, ctypes.POINTER(_STR), _PS, _S, _S, _PP], _I32),
    "swiftlet_sparse_result_count": ([_P, _PS], _I32),
    "swiftlet_sparse_result_row": ([_P, _S, ctypes.POINTER(ctypes.POINTER(ctypes.c_uint32)),
                                    ctypes.POINTER(ctypes.POINTER(ctypes.c_float)), _PS], _I32),
    "swiftlet_sparse_result_free": ([_P], _I32),
    "swiftlet_reranker_open": ([_STR, ctypes.POINTER(EmbedderOptions), _PP], _I32),
    "swiftlet_reranker_close": ([_P], _I32),
    "swiftlet_reranker_score": ([_P, _STR, _S, ctypes.POINTER(_STR), _PS, _S, _I32, ctypes.POINTER(ctypes.c_float), _S], _I32),
    "swiftlet_tokenizer_open": ([_STR, _PP], _I32),
    "swiftlet_tokenizer_close": ([_P], _I32),
    "swiftlet_tokenizer_encode": ([_P, _STR, _S, _U32, _S, ctypes.POINTER(_I32), ctypes.POINTER(_I32), _S, _PS], _I32),
    "swiftlet_tokenizer_decode": ([_P, ctypes.POINTER(_I32), _S, _U32, _STR, _S, _PS], _I32),
    "swiftlet_session_open": ([_STR, ctypes.POINTER(SessionOptions), _PP], _I32),
    "swiftlet_session_close": ([_P], _I32),
    "swiftlet_session_io_count": ([_P, _I32, _PS], _I32),
    "swiftlet_session_io_info": ([_P, _I32, _S, ctypes.POINTER(ValueInfo)], _I32),
    "swiftlet_session_run": ([_P, ctypes.POINTER(Tensor), _S, ctypes.POINTER(_STR), _S, _PP], _I32),
    "swiftlet_tensors_count": ([_P, _PS], _I32),
    "swiftlet_tensors_get": ([_P, _S, ctypes.POINTER(Tensor)], _I32),
    "swiftlet_tensors_free": ([_P], _I32),
    "swiftlet_ocr_open": ([_STR, _STR, _STR, ctypes.POINTER(OCROptions), _PP], _I32),
    "swiftlet_ocr_close": ([_P], _I32),
    "swiftlet_ocr_run_file": ([_P, _STR, _PP], _I32),
    "swiftlet_ocr_run_encoded": ([_P, ctypes.c_void_p, _S, _PP], _I32),
    "swiftlet_ocr_run_pixels": ([_P, ctypes.c_void_p, _S, _S, _S, _S, _I32, _PP], _I32),
    "swiftlet_ocr_result_count": ([_P, _PS], _I32),
    "swiftlet_ocr_result_line": ([_P, _S, ctypes.POINTER(OCRLineC)], _I32),
    "swiftlet_ocr_result_json": ([_P, ctypes.POINTER(_STR), _PS], _I32),
    "swiftlet_ocr_result_free": ([_P], _I32),
    "swiftlet_ocr_open_oriented": ([_STR, _STR, _STR, _STR, ctypes.POINTER(OCROptions), _PP], _I32),
    "swiftlet_ocr_result_orientation": ([_P, ctypes.POINTER(_I32)], _I32),
    "swiftlet_image_embedder_open": ([_STR, ctypes.POINTER(EmbedderOptions), _PP], _I32),
    "swiftlet_image_embedder_close": ([_P], _I32),
    "swiftlet_image_embedder_dimension": ([_P, _PS], _I32),
    "swiftlet_image_embedder_embed_texts": ([_P, ctypes.POINTER(_STR), _PS, _S, ctypes.POINTER(ctypes.c_float), _S], _I32),
    "swiftlet_image_embedder_embed_file": ([_P, _STR, ctypes.POINTER(ctypes.c_float), _S], _I32),
    "swiftlet_image_embedder_embed_encoded": ([_P, ctypes.c_void_p, _S, ctypes.POINTER(ctypes.c_float), _S], _I32),
    "swiftlet_image_embedder_embed_pixels": ([_P, ctypes.c_void_p, _S, _S, _S, _S, _I32,
                                              ctypes.POINTER(ctypes.c_float), _S], _I32),
}
