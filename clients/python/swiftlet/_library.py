"""Finds and loads libswiftlet.so.

Lookup order: $SWIFTLET_LIB, then the copy a wheel bundles inside this package
(swiftlet/lib/), then the system's (ctypes.util.find_library, e.g. after
tools/install.sh --prefix /usr/local). The library needs OpenBLAS, libpng and libjpeg
from the system; when one is missing the import fails naming it and its apt package,
rather than with the loader's bare "cannot open shared object file".
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
from pathlib import Path
from typing import Tuple

from ._abi import SIGNATURES

ENV = "SWIFTLET_LIB"
BUNDLED = Path(__file__).resolve().parent / "lib" / "libswiftlet.so"

# What libswiftlet.so needs beyond libc/libm/libstdc++/libgcc_s (its NEEDED entries),
# with the Debian 12 package that ships each (Ubuntu's names in brackets where they differ).
RUNTIME_DEPENDENCIES = {
    "libopenblas.so.0": "libopenblas0",
    "libpng16.so.16": "libpng16-16 [Ubuntu 24.04: libpng16-16t64]",
    "libjpeg.so.62": "libjpeg62-turbo [Ubuntu: libjpeg-turbo8]",
}

_NOT_FOUND = "libswiftlet.so not found: set SWIFTLET_LIB=/path/to/libswiftlet.so, install a swiftlet wheel " \
             "(it bundles the library) or install the library system-wide (tools/install.sh --prefix /usr/local)"


def locate() -> Tuple[str, str]:
    """(path or soname to load, where it came from: "SWIFTLET_LIB", "bundled" or "system")."""
    env = os.environ.get(ENV)
    if env:
        return env, ENV
    if BUNDLED.is_file():
        return str(BUNDLED), "bundled"
    name = ctypes.util.find_library("swiftlet")
    if name:
        return name, "system"
    raise ImportError(_NOT_FOUND)


def explain_load_error(message: str, path: str, source: str) -> str:
    """The ImportError text for an OSError from loading path: which file is missing, and
    for a missing dependency, which package provides it."""
    m = re.match(r"^([^:]+): cannot open shared object file", message)
    missing = m.group(1) if m else None
    if missing is None or os.path.basename(missing) == os.path.basename(path):
        if source == ENV:
            return f"cannot load SWIFTLET_LIB={path}: {message}"
        return f"cannot load {path} ({source}): {message}"
    package = RUNTIME_DEPENDENCIES.get(missing)
    hint = f"install it with `apt-get install {package}`" if package else "install the package that provides it"
    return f"libswiftlet.so ({path}) needs {missing}, which this system lacks: {hint}"


def load() -> Tuple[ctypes.CDLL, str]:
    """Loads the library and declares every function's argument and result types.

    ctypes.CDLL (not PyDLL) on purpose: CDLL releases the GIL for the duration of every
    foreign call, so Python threads sharing one handle compute in parallel."""
    path, source = locate()
    try:
        lib = ctypes.CDLL(path)
    except OSError as exc:
        raise ImportError(explain_load_error(str(exc), path, source)) from exc
    for name, (args, result) in SIGNATURES.items():
        try:
            fn = getattr(lib, name)
        except AttributeError:
            raise ImportError(f"{path} does not export {name}: an older libswiftlet.so than these bindings") from None
        fn.argtypes, fn.restype = args, result
    return lib, path


def loaded_path(path: str) -> str:
    """The file behind path once loaded: a bare soname (the system's copy) is looked up
    in this process's mappings."""
    if "/" in path:
        return os.path.realpath(path)
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            for line in maps:
                fields = line.split(maxsplit=5)
                if len(fields) == 6 and os.path.basename(fields[5].strip()).startswith("libswiftlet.so"):
                    return fields[5].strip()
    except OSError:
        pass
    return path
