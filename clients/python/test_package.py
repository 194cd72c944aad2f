"""The package around the bindings: how the library is found and loaded, the GIL during
calls, and the clear ImportErrors of a missing library or dependency."""
import ctypes
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np
import pytest

import swiftlet
from swiftlet import _library


def import_in_subprocess(env_lib):
    """Imports swiftlet in a fresh interpreter with SWIFTLET_LIB=env_lib: (returncode, stderr)."""
    env = dict(os.environ, SWIFTLET_LIB=str(env_lib),
               PYTHONPATH=str(Path(swiftlet.__file__).resolve().parents[1]))
    p = subprocess.run([sys.executable, "-c", "import swiftlet"], env=env, capture_output=True, text=True)
    return p.returncode, p.stderr


def test_loaded_through_cdll_which_releases_the_gil():
    # ctypes drops the GIL around every call of a CDLL function; a PyDLL (or a function
    # flagged FUNCFLAG_PYTHONAPI) would hold it and serialise Python threads.
    assert type(swiftlet._lib) is ctypes.CDLL
    assert not isinstance(swiftlet._lib, ctypes.PyDLL)
    assert not swiftlet._lib._func_flags_ & ctypes._FUNCFLAG_PYTHONAPI
    for name in ("swiftlet_embedder_embed", "swiftlet_ocr_run_file", "swiftlet_session_run"):
        assert not getattr(swiftlet._lib, name)._flags_ & ctypes._FUNCFLAG_PYTHONAPI, name


def test_two_threads_embed_at_once(embedder_swl, corpus):
    # Both threads enter embed together (the barrier) on one shared handle; each gets
    # exactly what it gets alone.
    texts = [corpus[:40], corpus[40:80]]
    with swiftlet.Embedder(embedder_swl, threads=1) as e:
        alone = [e.embed(t) for t in texts]
        barrier, got, errors = threading.Barrier(2), [None, None], []

        def work(k):
            try:
                barrier.wait()
                got[k] = e.embed(texts[k])
            except Exception as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(k,)) for k in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors
    for k in range(2):
        assert np.array_equal(got[k], alone[k])


def test_library_path_is_the_loaded_file():
    path = swiftlet.library_path()
    assert Path(path).is_file()
    with open("/proc/self/maps", encoding="utf-8") as maps:
        assert any(line.rstrip().endswith(" " + path) for line in maps), f"{path} is not mapped"
    env = os.environ.get("SWIFTLET_LIB")
    if env:
        assert path == os.path.realpath(env)


def test_py_typed_marker_ships():
    assert (Path(swiftlet.__file__).parent / "py.typed").is_file()


def test_missing_library_is_an_import_error(tmp_path):
    code, err = import_in_subprocess(tmp_path / "no-such-libswiftlet.so")
    assert code != 0
    assert f"ImportError: cannot load SWIFTLET_LIB={tmp_path / 'no-such-libswiftlet.so'}" in err


def test_missing_dependency_names_it(tmp_path):
    # A library like libswiftlet.so whose dependency is absent: link a stub against a
    # throwaway shared library, then delete that library.
    dep_dir = tmp_path / "deps"
    dep_dir.mkdir()
    (tmp_path / "dep.c").write_text("int swiftlet_test_dep(void) { return 1; }\n")
    (tmp_path / "stub.c").write_text("int swiftlet_test_dep(void);\nint stub(void) { return swiftlet_test_dep(); }\n")
    subprocess.run(["cc", "-shared", "-fPIC", "-Wl,-soname,libswiftlet-test-missing.so.1", "-o",
                    str(dep_dir / "libswiftlet-test-missing.so.1"), str(tmp_path / "dep.c")], check=True)
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(tmp_path / "libswiftlet.so"), str(tmp_path / "stub.c"),
                    str(dep_dir / "libswiftlet-test-missing.so.1")], check=True)
    (dep_dir / "libswiftlet-test-missing.so.1").unlink()
    code, err = import_in_subprocess(tmp_path / "libswiftlet.so")
    assert code != 0
    assert "needs libswiftlet-test-missing.so.1, which this system lacks" in err, err


@pytest.mark.parametrize("soname,package", [("libopenblas.so.0", "libopenblas0"),
                                            ("libpng16.so.16", "libpng16-16"),
                                            ("libjpeg.so.62", "libjpeg62-turbo")])
def test_missing_runtime_dependency_names_the_apt_package(soname, package):
    # The loader's message for a missing NEEDED entry (as in the test above), for each of
    # the libraries libswiftlet.so really needs.
    message = f"{soname}: cannot open shared object file: No such file or directory"
    text = _library.explain_load_error(message, "/opt/x/swiftlet/lib/libswiftlet.so", "bundled")
    assert f"needs {soname}" in text and f"apt-get install {package}" in text


def test_runtime_dependencies_are_the_librarys_needed_entries():
    out = subprocess.run(["readelf", "-d", "-W", swiftlet.library_path()], check=True, capture_output=True,
                         text=True).stdout
    needed = {line.split("[")[1].rstrip("]") for line in out.splitlines() if "(NEEDED)" in line}
    system = {"libc.so.6", "libm.so.6", "libstdc++.so.6", "libgcc_s.so.1", "ld-linux-x86-64.so.2"}
    assert needed - system == set(_library.RUNTIME_DEPENDENCIES)
