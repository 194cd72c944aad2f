"""Python bindings for libswiftlet.so (include/swiftlet.h) through ctypes.

    import swiftlet
    with swiftlet.Embedder("models/all-MiniLM-L6-v2.swl", threads=2) as e:
        vectors = e.embed(["Hello world", "Swiftlet"])   # numpy float32 [2, 384]
    with swiftlet.OCR("models/ppocrv4-det.swl", "models/ppocrv4-rec.swl", "models/ppocr-cls-v2.swl") as ocr:
        for line in ocr.run("photo.jpg").lines:         # .box [[x, y]] * 4, .text, .score
            print(line.text)

The library is found through $SWIFTLET_LIB, else as libswiftlet.so on the loader's
search path. Every failure raises SwiftletError with the library's status and message.
Objects are safe to share between threads (the library allows concurrent calls on one
handle, and ctypes releases the GIL during them).
"""
import ctypes
import os

import numpy as np

ABI_VERSION = (1 << 16) | 1  # SWIFTLET_ABI_VERSION of the header these bindings follow

_PREFIXES = {"none": 0, "query": 1, "passage": 2}
_DTYPES = {1: np.float32, 2: np.float16, 3: np.int64, 4: np.int32, 5: np.int8, 6: np.uint8, 7: np.bool_}
_CODES = {np.dtype(v): k for k, v in _DTYPES.items()}
_MAX_RANK = 16


class SwiftletError(Exception):
    """A non-OK status from the library: .status (int), .name (e.g. SWIFTLET_ERR_IO), .message."""

    def __init__(self, status, name, message):
        super().__init__(f"{name}: {message}")
        self.status, self.name, self.message = status, name, message


class _ValueInfo(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("dtype", ctypes.c_int32), ("rank", ctypes.c_size_t),
                ("dims", ctypes.POINTER(ctypes.c_int64))]


class _Tensor(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("dtype", ctypes.c_int32), ("rank", ctypes.c_size_t),
                ("shape", ctypes.POINTER(ctypes.c_int64)), ("data", ctypes.c_void_p), ("byte_count", ctypes.c_size_t)]


class _EmbedderOptions(ctypes.Structure):
    _fields_ = [("threads", ctypes.c_int32), ("batch_size", ctypes.c_int32)]


class _SessionOptions(ctypes.Structure):
    _fields_ = [("threads", ctypes.c_int32)]


class _OCROptions(ctypes.Structure):
    _fields_ = [("threads", ctypes.c_int32), ("preset", ctypes.c_int32), ("det_thresh", ctypes.c_float),
                ("box_thresh", ctypes.c_float), ("unclip_ratio", ctypes.c_float), ("text_score", ctypes.c_float),
                ("limit_side_len", ctypes.c_int32), ("reserved", ctypes.c_int32 * 9)]


class _OCRLine(ctypes.Structure):
    _fields_ = [("box", ctypes.c_float * 8), ("text", ctypes.POINTER(ctypes.c_char)), ("text_length", ctypes.c_size_t),
                ("score", ctypes.c_float)]


_PRESETS = {"rapidocr": 0, "paddle": 1}
# Raw pixel formats by channel count of a numpy image, and by name.
_PIXEL_FORMATS = {"rgb": 1, "bgr": 2, "rgba": 3, "bgra": 4, "gray": 5}
_CHANNELS = {"rgb": 3, "bgr": 3, "rgba": 4, "bgra": 4, "gray": 1}


def _load():
    lib = ctypes.CDLL(os.environ.get("SWIFTLET_LIB", "libswiftlet.so"))
    P, S, U32, I32 = ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint32, ctypes.c_int32
    PS = ctypes.POINTER(ctypes.c_size_t)
    sigs = {
        "swiftlet_abi_version": ([], U32),
        "swiftlet_check_abi": ([U32], I32),
        "swiftlet_last_error": ([], ctypes.c_char_p),
        "swiftlet_status_name": ([I32], ctypes.c_char_p),
        "swiftlet_embedder_open": ([ctypes.c_char_p, ctypes.POINTER(_EmbedderOptions), ctypes.POINTER(P)], I32),
        "swiftlet_embedder_close": ([P], I32),
        "swiftlet_embedder_dimension": ([P, PS], I32),
        "swiftlet_embedder_embed": ([P, ctypes.POINTER(ctypes.c_char_p), PS, S, I32, ctypes.POINTER(ctypes.c_float), S], I32),
        "swiftlet_embedder_embed_with_prefix": ([P, ctypes.POINTER(ctypes.c_char_p), PS, S, ctypes.c_char_p, S,
                                                 ctypes.POINTER(ctypes.c_float), S], I32),
        "swiftlet_tokenizer_open": ([ctypes.c_char_p, ctypes.POINTER(P)], I32),
        "swiftlet_tokenizer_close": ([P], I32),
        "swiftlet_tokenizer_encode": ([P, ctypes.c_char_p, S, U32, S, ctypes.POINTER(I32), ctypes.POINTER(I32), S, PS], I32),
        "swiftlet_tokenizer_decode": ([P, ctypes.POINTER(I32), S, U32, ctypes.c_char_p, S, PS], I32),
        "swiftlet_session_open": ([ctypes.c_char_p, ctypes.POINTER(_SessionOptions), ctypes.POINTER(P)], I32),
        "swiftlet_session_close": ([P], I32),
        "swiftlet_session_io_count": ([P, I32, PS], I32),
        "swiftlet_session_io_info": ([P, I32, S, ctypes.POINTER(_ValueInfo)], I32),
        "swiftlet_session_run": ([P, ctypes.POINTER(_Tensor), S, ctypes.POINTER(ctypes.c_char_p), S, ctypes.POINTER(P)], I32),
        "swiftlet_tensors_count": ([P, PS], I32),
        "swiftlet_tensors_get": ([P, S, ctypes.POINTER(_Tensor)], I32),
        "swiftlet_tensors_free": ([P], I32),
        "swiftlet_ocr_open": ([ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(_OCROptions), ctypes.POINTER(P)], I32),
        "swiftlet_ocr_close": ([P], I32),
        "swiftlet_ocr_run_file": ([P, ctypes.c_char_p, ctypes.POINTER(P)], I32),
        "swiftlet_ocr_run_encoded": ([P, ctypes.c_void_p, S, ctypes.POINTER(P)], I32),
        "swiftlet_ocr_run_pixels": ([P, ctypes.c_void_p, S, S, S, S, I32, ctypes.POINTER(P)], I32),
        "swiftlet_ocr_result_count": ([P, PS], I32),
        "swiftlet_ocr_result_line": ([P, S, ctypes.POINTER(_OCRLine)], I32),
        "swiftlet_ocr_result_json": ([P, ctypes.POINTER(ctypes.c_char_p), PS], I32),
        "swiftlet_ocr_result_free": ([P], I32),
    }
    for name, (args, res) in sigs.items():
        fn = getattr(lib, name)
        fn.argtypes, fn.restype = args, res
    return lib


_lib = _load()


def _check(status):
    if status != 0:
        message = _lib.swiftlet_last_error().decode("utf-8", "replace")
        raise SwiftletError(status, _lib.swiftlet_status_name(status).decode(), message)


_check(_lib.swiftlet_check_abi(ABI_VERSION))


def abi_version():
    return _lib.swiftlet_abi_version()


def _path(p):
    return os.fsencode(p)


def _utf8(text):
    # bytes go through untouched, so the library's own UTF-8 check sees them.
    return text if isinstance(text, (bytes, bytearray)) else text.encode("utf-8")


class _Handle:
    _close = None

    def __init__(self):
        self._h = ctypes.c_void_p()

    def close(self):
        if self._h:
            h, self._h = self._h, ctypes.c_void_p()
            _check(type(self)._close(h))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


class Embedder(_Handle):
    """A sentence embedder (.swl of pipeline kind "embedder")."""
    _close = staticmethod(lambda h: _lib.swiftlet_embedder_close(h))

    def __init__(self, path, threads=0, batch_size=0):
        super().__init__()
        opts = _EmbedderOptions(threads, batch_size)
        _check(_lib.swiftlet_embedder_open(_path(path), ctypes.byref(opts), ctypes.byref(self._h)))
        dim = ctypes.c_size_t()
        _check(_lib.swiftlet_embedder_dimension(self._h, ctypes.byref(dim)))
        self.dimension = dim.value

    def embed(self, texts, prefix="none"):
        """texts: str or bytes each; prefix: one of the model's configured prefixes
        ("none", "query", "passage"). Returns float32 [len(texts), dimension]."""
        if prefix not in _PREFIXES:
            raise ValueError(f"prefix must be one of {sorted(_PREFIXES)}")
        return self._embed(texts, lambda *a: _lib.swiftlet_embedder_embed(*a[:4], _PREFIXES[prefix], *a[4:]))

    def embed_with_prefix(self, texts, prefix):
        """As embed, with any prefix string (str or bytes) put before every text."""
        p = _utf8(prefix)
        return self._embed(texts, lambda *a: _lib.swiftlet_embedder_embed_with_prefix(*a[:4], p, len(p), *a[4:]))

    def _embed(self, texts, call):
        data = [_utf8(t) for t in texts]
        n = len(data)
        out = np.empty((n, self.dimension), dtype=np.float32)
        ptrs = (ctypes.c_char_p * max(n, 1))(*data)
        lens = (ctypes.c_size_t * max(n, 1))(*[len(d) for d in data])
        _check(call(self._h, ptrs, lens, n, out.ctypes.data_as(ctypes.POINTER(ctypes.c_float)), out.size))
        return out


class Tokenizer(_Handle):
    """The tokenizer stored in a .swl, with the model's truncation length."""
    _close = staticmethod(lambda h: _lib.swiftlet_tokenizer_close(h))

    def __init__(self, path):
        super().__init__()
        _check(_lib.swiftlet_tokenizer_open(_path(path), ctypes.byref(self._h)))

    def encode(self, text, add_special_tokens=True, max_length=0):
        """Returns (ids, attention_mask) as int32 arrays. max_length 0: the model's own; None: no limit."""
        data = _utf8(text)
        flags = 0 if add_special_tokens else 1
        limit = ctypes.c_size_t(-1).value if max_length is None else max_length
        count = ctypes.c_size_t()
        status = _lib.swiftlet_tokenizer_encode(self._h, data, len(data), flags, limit, None, None, 0, ctypes.byref(count))
        if status not in (0, 4):  # 4: SWIFTLET_ERR_BUFFER_TOO_SMALL, the size query's answer
            _check(status)
        ids = np.empty(count.value, dtype=np.int32)
        mask = np.empty(count.value, dtype=np.int32)
        P = ctypes.POINTER(ctypes.c_int32)
        _check(_lib.swiftlet_tokenizer_encode(self._h, data, len(data), flags, limit, ids.ctypes.data_as(P),
                                              mask.ctypes.data_as(P), count.value, ctypes.byref(count)))
        return ids, mask

    def decode(self, ids, skip_special_tokens=True):
        arr = np.ascontiguousarray(ids, dtype=np.int32)
        P = ctypes.POINTER(ctypes.c_int32)
        flags = 0 if skip_special_tokens else 1
        length = ctypes.c_size_t()
        status = _lib.swiftlet_tokenizer_decode(self._h, arr.ctypes.data_as(P), arr.size, flags, None, 0, ctypes.byref(length))
        if status not in (0, 4):
            _check(status)
        buf = ctypes.create_string_buffer(length.value + 1)
        _check(_lib.swiftlet_tokenizer_decode(self._h, arr.ctypes.data_as(P), arr.size, flags, buf, len(buf), ctypes.byref(length)))
        return buf.raw[:length.value].decode("utf-8")


class Session(_Handle):
    """Any .swl as a raw graph: run({name: ndarray}) -> {name: ndarray}."""
    _close = staticmethod(lambda h: _lib.swiftlet_session_close(h))

    def __init__(self, path, threads=0):
        super().__init__()
        opts = _SessionOptions(threads)
        _check(_lib.swiftlet_session_open(_path(path), ctypes.byref(opts), ctypes.byref(self._h)))
        self.inputs = self._describe(0)
        self.outputs = self._describe(1)

    def _describe(self, io):
        n = ctypes.c_size_t()
        _check(_lib.swiftlet_session_io_count(self._h, io, ctypes.byref(n)))
        result = []
        for i in range(n.value):
            info = _ValueInfo()
            _check(_lib.swiftlet_session_io_info(self._h, io, i, ctypes.byref(info)))
            dims = [info.dims[k] if info.dims[k] >= 0 else None for k in range(info.rank)]
            result.append((info.name.decode(), np.dtype(_DTYPES[info.dtype]), dims))
        return result

    def run(self, feeds, outputs=None):
        arrays, tensors, keep = [], [], []
        for name, value in feeds.items():
            a = np.ascontiguousarray(value)
            if a.dtype not in _CODES:
                raise TypeError(f"input '{name}': dtype {a.dtype} is not supported")
            if a.ndim > _MAX_RANK:
                raise ValueError(f"input '{name}': rank {a.ndim} exceeds {_MAX_RANK}")
            shape = (ctypes.c_int64 * max(a.ndim, 1))(*a.shape)
            nm = name.encode()
            keep += [a, shape, nm]
            tensors.append(_Tensor(nm, _CODES[a.dtype], a.ndim, shape, a.ctypes.data, a.nbytes))
            arrays.append(a)
        ins = (_Tensor * max(len(tensors), 1))(*tensors)
        names = [o.encode() for o in outputs] if outputs else []
        out_names = (ctypes.c_char_p * len(names))(*names) if names else None
        result = ctypes.c_void_p()
        _check(_lib.swiftlet_session_run(self._h, ins, len(tensors), out_names, len(names), ctypes.byref(result)))
        try:
            count = ctypes.c_size_t()
            _check(_lib.swiftlet_tensors_count(result, ctypes.byref(count)))
            out = {}
            for i in range(count.value):
                t = _Tensor()
                _check(_lib.swiftlet_tensors_get(result, i, ctypes.byref(t)))
                shape = tuple(t.shape[k] for k in range(t.rank))
                dtype = np.dtype(_DTYPES[t.dtype])
                raw = ctypes.string_at(t.data, t.byte_count) if t.byte_count else b""
                out[t.name.decode()] = np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
            return out
        finally:
            _check(_lib.swiftlet_tensors_free(result))


class OCRLine:
    """One recognised line: box [[x, y]] * 4 (top-left, top-right, bottom-right,
    bottom-left, image pixels), text, score."""
    __slots__ = ("box", "text", "score")

    def __init__(self, box, text, score):
        self.box, self.text, self.score = box, text, score

    def __repr__(self):
        return f"OCRLine(box={self.box}, text={self.text!r}, score={self.score})"


class OCRResult:
    """The lines of one image, in reading order, and the same result as the JSON
    object `swiftlet ocr` prints (.json, a str)."""

    def __init__(self, lines, json):
        self.lines, self.json = lines, json


class OCR(_Handle):
    """PP-OCR detection + (optional) angle classification + recognition.

    Option values of 0 keep the preset's defaults (see swiftlet_ocr_options)."""
    _close = staticmethod(lambda h: _lib.swiftlet_ocr_close(h))

    def __init__(self, det, rec, cls=None, threads=0, preset="rapidocr", det_thresh=0.0, box_thresh=0.0,
                 unclip_ratio=0.0, text_score=0.0, limit_side_len=0):
        super().__init__()
        if preset not in _PRESETS:
            raise ValueError(f"preset must be one of {sorted(_PRESETS)}")
        opts = _OCROptions(threads, _PRESETS[preset], det_thresh, box_thresh, unclip_ratio, text_score, limit_side_len)
        _check(_lib.swiftlet_ocr_open(_path(det), _path(rec), None if cls is None else _path(cls),
                                      ctypes.byref(opts), ctypes.byref(self._h)))

    def run(self, image, format=None):
        """image: a path (str or os.PathLike), encoded PNG/JPEG bytes, or a uint8 numpy
        array [H, W] (gray) or [H, W, 3|4] (format "rgb" by default for 3 channels,
        "rgba" for 4; "bgr"/"bgra" for OpenCV images)."""
        if isinstance(image, (str, os.PathLike)):
            return self.run_file(image)
        if isinstance(image, (bytes, bytearray, memoryview)):
            return self.run_encoded(image)
        return self.run_pixels(image, format)

    def run_file(self, path):
        return self._result(lambda out: _lib.swiftlet_ocr_run_file(self._h, _path(path), out))

    def run_encoded(self, data):
        buf = bytes(data)
        return self._result(lambda out: _lib.swiftlet_ocr_run_encoded(self._h, buf, len(buf), out))

    def run_pixels(self, pixels, format=None):
        a = np.asarray(pixels)
        if a.dtype != np.uint8 or a.ndim not in (2, 3):
            raise ValueError(f"pixels must be uint8 [H, W] or [H, W, C], got {a.dtype} {a.shape}")
        if format is None:
            format = "gray" if a.ndim == 2 else {3: "rgb", 4: "rgba"}.get(a.shape[2], "?")
        if format not in _PIXEL_FORMATS:
            raise ValueError(f"format must be one of {sorted(_PIXEL_FORMATS)}")
        channels = 1 if a.ndim == 2 else a.shape[2]
        if channels != _CHANNELS[format]:
            raise ValueError(f"format {format} needs {_CHANNELS[format]} channels, the array has {channels}")
        # Rows may be strided (a crop of a bigger image); pixels within a row must be packed.
        if a.strides[-1] != 1 or (a.ndim == 3 and a.strides[1] != channels) or a.strides[0] < a.shape[1] * channels:
            a = np.ascontiguousarray(a)
        h, w = a.shape[0], a.shape[1]
        stride = a.strides[0]
        size = stride * (h - 1) + w * channels if h > 0 else 0
        return self._result(lambda out: _lib.swiftlet_ocr_run_pixels(self._h, a.ctypes.data, size, w, h, stride,
                                                                      _PIXEL_FORMATS[format], out))

    @staticmethod
    def _result(run):
        result = ctypes.c_void_p()
        _check(run(ctypes.byref(result)))
        try:
            count = ctypes.c_size_t()
            _check(_lib.swiftlet_ocr_result_count(result, ctypes.byref(count)))
            lines = []
            for i in range(count.value):
                line = _OCRLine()
                _check(_lib.swiftlet_ocr_result_line(result, i, ctypes.byref(line)))
                box = [[line.box[2 * k], line.box[2 * k + 1]] for k in range(4)]
                lines.append(OCRLine(box, ctypes.string_at(line.text, line.text_length).decode("utf-8"), line.score))
            json = ctypes.c_char_p()
            length = ctypes.c_size_t()
            _check(_lib.swiftlet_ocr_result_json(result, ctypes.byref(json), ctypes.byref(length)))
            return OCRResult(lines, ctypes.string_at(json, length.value).decode("utf-8"))
        finally:
            _check(_lib.swiftlet_ocr_result_free(result))
