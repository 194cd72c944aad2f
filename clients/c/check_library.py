#!/usr/bin/env python3
"""Checks libswiftlet.so is self-contained and exports exactly the C ABI:

- its soname is libswiftlet.so.MAJOR (SWIFTLET_ABI_VERSION_MAJOR of the header);
- its NEEDED libraries are the system's C/C++ runtime plus OpenBLAS, libpng and libjpeg
  (no Swift runtime, Foundation or Dispatch: those are linked in), with no RPATH/RUNPATH;
- `ldd` resolves everything, and nothing from the Swift toolchain;
- the defined global symbols in its dynamic symbol table are exactly the functions
  declared in include/swiftlet.h.

    check_library.py LIBSWIFTLET.SO SWIFTLET.H
"""
import re
import subprocess
import sys

ALLOWED_NEEDED = re.compile(
    r"^(libc\.so\.6|libm\.so\.6|libstdc\+\+\.so\.6|libgcc_s\.so\.1|ld-linux-x86-64\.so\.2|"
    r"libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|libutil\.so\.1|"
    r"libopenblas\.so\.\d+|libblas\.so\.\d+|libpng16\.so\.\d+|libjpeg\.so\.\d+)$")


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def declared_functions(header):
    text = open(header, encoding="utf-8").read()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"^\s*#.*$", " ", text, flags=re.M)
    return set(re.findall(r"\b(swiftlet_[a-z0-9_]+)\s*\(", text))


def main(lib, header):
    problems = []
    dynamic = run("readelf", "-d", "-W", lib)
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic)
    for n in needed:
        if not ALLOWED_NEEDED.match(n):
            problems.append(f"depends on {n}")
    if re.search(r"\((RPATH|RUNPATH)\)", dynamic):
        problems.append("has an RPATH/RUNPATH: " + " ".join(re.findall(r"\((?:RPATH|RUNPATH)\).*", dynamic)))
    ldd = run("ldd", lib)
    for line in ldd.splitlines():
        if "not found" in line or re.search(r"swift|Foundation|dispatch|BlocksRuntime", line, re.I):
            problems.append(f"ldd: {line.strip()}")

    major = re.search(r"#define SWIFTLET_ABI_VERSION_MAJOR (\d+)", open(header, encoding="utf-8").read()).group(1)
    soname = re.findall(r"\(SONAME\)\s+Library soname: \[([^\]]+)\]", dynamic)
    if soname != [f"libswiftlet.so.{major}"]:
        problems.append(f"has soname {soname}, not libswiftlet.so.{major}")

    exported = set()
    for line in run("readelf", "--dyn-syms", "-W", lib).splitlines():
        f = line.split()
        # Num: Value Size Type Bind Vis Ndx Name
        if len(f) >= 8 and f[4] in ("GLOBAL", "WEAK") and f[6] != "UND":
            exported.add(f[7].split("@")[0])
    declared = declared_functions(header)
    for name in sorted(exported - declared):
        problems.append(f"exports {name}, which swiftlet.h does not declare")
    for name in sorted(declared - exported):
        problems.append(f"does not export {name}, declared in swiftlet.h")

    print(f"check_library: SONAME {soname}; NEEDED {needed}; {len(exported)} exported functions, {len(declared)} declared")
    for p in problems:
        print(f"check_library: FAIL: {lib} {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
