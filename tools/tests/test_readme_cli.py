"""The README's list of commands is `swiftlet --help`'s, word for word: the release binary
is the source, the README the copy (issue 19: regenerated from the real --help output)."""

import os
import re
import subprocess

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.path.join(REPO, ".build", "release", "swiftlet")


def help_commands():
    if not os.path.exists(BINARY):
        pytest.fail(f"{BINARY} is missing: swift build -c release (tools/test.sh builds it first)")
    text = subprocess.run([BINARY, "--help"], capture_output=True, text=True, check=True).stdout
    section = text.split("SUBCOMMANDS:", 1)[1].split("See 'swiftlet help", 1)[0]
    commands, name = {}, None
    for line in section.splitlines():
        m = re.match(r"^  (\S+)\s+(.*)$", line)
        if m:
            name = m.group(1)
            commands[name] = m.group(2).strip()
        elif name and line.strip():
            commands[name] += " " + line.strip()  # the parser wraps long abstracts
    return commands


def readme_commands():
    readme = open(os.path.join(REPO, "README.md"), encoding="utf-8").read()
    block = readme.split("`swiftlet --help` lists the commands", 1)[1].split("```text", 1)[1].split("```", 1)[0]
    return {m.group(1): m.group(2).strip() for m in (re.match(r"^(\S+)\s+(.*)$", l) for l in block.strip().splitlines()) if m}


def test_readme_lists_the_commands_of_swiftlet_help():
    assert readme_commands() == help_commands()
