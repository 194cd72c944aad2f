"""`python -m swiftlet embed|tokenize|ocr`: the `swiftlet` CLI's commands and JSON-lines
output (README "Usage"), byte for byte, through the library instead of the binary.

One difference: `tokenize` shows an unknown piece of a Unigram model (e5) as the
vocabulary's "<unk>", where the CLI shows the text it covers (the C ABI has no offsets).

Exit status as the CLI's: 0; 64 for a usage error (message and usage on stderr);
1 for any other error (one `swiftlet: error: …` line on stderr)."""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
from typing import Iterator, List, NoReturn, Optional, Sequence, TextIO

import numpy as np

from ._swl import token_strings
from .embedder import Embedder
from .errors import SwiftletError
from .ocr import OCR
from .tokenizer import Tokenizer

USAGE_ERROR = 64
DEFAULT_EMBEDDER = "all-MiniLM-L6-v2"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message}\n")


class CLIError(Exception):
    """A failure the user can act on (bad input file, …): exit 1."""


def resolve_model(name: str) -> str:
    """As the CLI: a name is looked up as $SWIFTLET_MODELS/NAME.swl (./models if unset);
    anything with a slash or ending in .swl is a path."""
    if "/" in name or name.endswith(".swl"):
        return name
    return f"{os.environ.get('SWIFTLET_MODELS', 'models')}/{name}.swl"


def json_string(s: str) -> str:
    """The CLI's string escaping: quote, backslash, \\n \\r \\t, other controls and DEL as
    \\u00XX; everything else verbatim UTF-8."""
    out = ['"']
    for ch in s:
        c = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif c < 0x20 or c == 0x7F:
            out.append(f"\\u{c:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def json_float(x: np.float32) -> str:
    """Swift's shortest round-trip Float text: positional for 1e-4 <= |x| < 2^24,
    else d.ddde±XX; non-finite values are null."""
    if not math.isfinite(float(x)):
        return "null"
    if x != 0 and not (1e-4 <= abs(float(x)) < 2.0 ** 24):
        return np.format_float_scientific(x, unique=True, exp_digits=2, trim="-")
    return str(x)


def read_jsonl(path: str) -> List[str]:
    """The "text" of each line of a JSON-lines file ('-': stdin); blank lines skipped."""
    try:
        data = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
    except OSError:
        raise CLIError(f"cannot read '{path}'") from None
    texts = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip(b" \r\t"):
            continue
        try:
            obj = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise CLIError(f"{path}:{number}: not valid UTF-8") from None
        except ValueError:
            raise CLIError(f"{path}:{number}: not valid JSON") from None
        if not isinstance(obj, dict):
            raise CLIError(f"{path}:{number}: not a JSON object")
        if not isinstance(obj.get("text"), str):
            raise CLIError(f'{path}:{number}: no string field "text"')
        texts.append(obj["text"])
    return texts


def _texts(args: argparse.Namespace) -> List[str]:
    return list(args.texts) + (read_jsonl(args.jsonl) if args.jsonl else [])


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is not a positive integer")
    return n


def embed_lines(args: argparse.Namespace) -> Iterator[str]:
    texts = _texts(args)
    with Embedder(resolve_model(args.model), threads=args.threads or 0, batch_size=args.batch) as e:
        if args.prefix is None:
            vectors = e.embed(texts)
        elif args.prefix in ("query", "passage"):
            vectors = e.embed(texts, prefix=args.prefix)
        else:
            vectors = e.embed_with_prefix(texts, args.prefix)
    for v in vectors:
        yield '{"embedding":[' + ",".join(json_float(x) for x in v) + "]}"


def tokenize_lines(args: argparse.Namespace) -> Iterator[str]:
    path = resolve_model(args.model)
    texts = _texts(args)
    with Tokenizer(path) as t:
        vocab = token_strings(path)
        for text in texts:
            ids, _ = t.encode(text)
            tokens = [vocab[i] if 0 <= i < len(vocab) else "" for i in ids.tolist()]
            yield ('{"ids":[' + ",".join(str(i) for i in ids.tolist()) + '],"tokens":['
                   + ",".join(json_string(s) for s in tokens) + "]}")


def ocr_lines(args: argparse.Namespace) -> Iterator[str]:
    cls = None if args.no_cls else resolve_model(args.cls)
    with OCR(resolve_model(args.det), resolve_model(args.rec), cls, threads=args.threads or 0,
             preset=args.preset) as ocr:
        for image in args.images:
            yield ocr.run_file(image).json


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m swiftlet", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--threads", type=_positive, help="compute threads (default: all cores)")
        p.add_argument("-q", "--quiet", action="store_true", help="accepted for the CLI's scripts; there is no progress line")

    embed = sub.add_parser("embed", help='one {"embedding":[…]} JSON line per text, in input order')
    embed.add_argument("--model", default=DEFAULT_EMBEDDER, help="a .swl path, or a name in $SWIFTLET_MODELS")
    embed.add_argument("--prefix", help="the model's prefix (query, passage) or this text before each text")
    embed.add_argument("--batch", type=_positive, default=32, help="most texts per encoder run")
    embed.add_argument("--jsonl", help='a JSON-lines file of {"text": …} objects (- for stdin)')
    embed.add_argument("texts", nargs="*")
    common(embed)
    embed.set_defaults(lines=embed_lines)

    tok = sub.add_parser("tokenize", help='one {"ids","tokens"} JSON line per text')
    tok.add_argument("--model", default=DEFAULT_EMBEDDER, help="a .swl path, or a name in $SWIFTLET_MODELS")
    tok.add_argument("--jsonl", help='a JSON-lines file of {"text": …} objects (- for stdin)')
    tok.add_argument("texts", nargs="*")
    common(tok)
    tok.set_defaults(lines=tokenize_lines)

    ocr = sub.add_parser("ocr", help='one {"image","lines":[{"box","text","score"}]} JSON line per image')
    ocr.add_argument("--det", default="ppocrv5-det", help="detection model")
    ocr.add_argument("--rec", default="ppocrv5-rec", help="recognition model")
    ocr.add_argument("--cls", default="ppocrv5-cls", help="text-angle classifier model")
    ocr.add_argument("--no-cls", action="store_true", help="skip the angle classifier")
    ocr.add_argument("--preset", choices=["rapidocr", "paddle"], default="rapidocr")
    ocr.add_argument("images", nargs="+", help="PNG or JPEG files")
    common(ocr)
    ocr.set_defaults(lines=ocr_lines)
    return parser


def main(argv: Optional[Sequence[str]] = None, out: Optional[TextIO] = None) -> int:
    args = build_parser().parse_args(argv)
    stream = out or sys.stdout
    try:
        for line in args.lines(args):
            stream.write(line + "\n")
        stream.flush()
    except (SwiftletError, CLIError) as exc:
        print(f"swiftlet: error: {exc}", file=sys.stderr)
        return 1
    return 0

