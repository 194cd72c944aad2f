"""Status checking and the base of every handle-owning class."""
from __future__ import annotations

import ctypes
import os
from typing import Any, Callable, ClassVar, Optional, TypeVar, Union

from ._abi import ABI_VERSION
from ._library import load
from .errors import SwiftletError

lib, lib_path = load()

PathLike = Union[str, "os.PathLike[str]", bytes]
H = TypeVar("H", bound="Handle")


def check(status: int) -> None:
    """Raises SwiftletError with the calling thread's last error for a non-OK status."""
    if status != 0:
        message = lib.swiftlet_last_error().decode("utf-8", "replace")
        raise SwiftletError(status, lib.swiftlet_status_name(status).decode(), message)


check(lib.swiftlet_check_abi(ABI_VERSION))


def encode_path(p: PathLike) -> bytes:
    return os.fsencode(p)


def utf8(text: Union[str, bytes, bytearray]) -> bytes:
    # bytes go through untouched, so the library's own UTF-8 check sees them.
    return bytes(text) if isinstance(text, (bytes, bytearray)) else text.encode("utf-8")


class Handle:
    """Owns one library handle: close() (or leaving a ``with`` block) releases it.

    Closing twice is harmless; calls after close raise SwiftletError
    (SWIFTLET_ERR_INVALID_HANDLE). Instances may be shared between threads."""

    _close: ClassVar[Optional[Callable[[Any], int]]] = None

    def __init__(self) -> None:
        self._h = ctypes.c_void_p()

    def close(self) -> None:
        """Releases the handle; calls already running on other threads finish normally."""
        if self._h:
            h, self._h = self._h, ctypes.c_void_p()
            closer = type(self)._close
            assert closer is not None
            check(closer(h))

    def __enter__(self: H) -> H:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass
