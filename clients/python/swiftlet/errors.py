"""The one exception the library's failures raise."""
from __future__ import annotations


class SwiftletError(Exception):
    """A non-OK status from libswiftlet.so.

    Attributes: ``status`` (the int code), ``name`` (e.g. ``"SWIFTLET_ERR_IO"``) and
    ``message`` (the library's text, naming the argument, text or file at fault)."""

    def __init__(self, status: int, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.status, self.name, self.message = status, name, message
