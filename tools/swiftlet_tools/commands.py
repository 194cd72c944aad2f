"""Subcommand dispatch for the entry scripts (tools/golden.py, tools/bench.py): each
subcommand is a module with a `main()` that parses sys.argv as if it were the script."""

import importlib
import sys
from typing import Dict, List, Optional, Tuple

Commands = Dict[str, Tuple[str, str]]  # name -> (module, one-line summary)


def usage(prog: str, commands: Commands) -> str:
    width = max(len(n) for n in commands)
    rows = "\n".join(f"  {n:<{width}}  {summary}" for n, (_, summary) in commands.items())
    return f"usage: {prog} COMMAND [ARGS...]   ({prog} COMMAND --help for its options)\n\n{rows}\n"


def dispatch(prog: str, package: str, commands: Commands, argv: List[str],
             default: Optional[str] = None) -> int:
    """Runs `commands[argv[0]]`; with `default`, arguments that name no command go to it."""
    if argv and argv[0] in commands:
        name, rest = argv[0], argv[1:]
    elif default is not None and not (argv and argv[0] in ("-h", "--help", "help")):
        name, rest = default, argv
    else:
        ok = bool(argv) and argv[0] in ("-h", "--help", "help")
        (sys.stdout if ok else sys.stderr).write(usage(prog, commands))
        return 0 if ok else 2
    module = importlib.import_module(f"{package}.{commands[name][0]}")
    sys.argv = [f"{prog} {name}"] + rest
    code = module.main()
    return code if isinstance(code, int) else 0
