#!/usr/bin/env python3
"""The shell completions offer exactly the options each command's --help
lists (the help is the command's own list of them), plus the options every
command takes (--plugin, --quiet, --verbose, --diagnostics-format, --help).
bash: the words of the command's `compgen -W` list; zsh: the options its
`_arguments` specs name.

usage: completion_options.py CROSSWALK SOURCE_DIR
"""
import re
import subprocess
import sys

exe, src = sys.argv[1:3]
COMMON = {"--plugin", "--quiet", "--verbose", "--diagnostics-format", "--help"}
OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z-]*)")


def help_options(cmd):
    out = subprocess.run([exe, cmd, "--help"], capture_output=True, text=True,
                         check=True).stdout
    found = set()
    for line in out.splitlines():
        # the option column: lines that start with an option, up to its text
        m = re.match(r"^\s{2,}(-\S.*?)(?:\s{2,}|$)", line)
        if m:
            found |= set(OPTION.findall(m.group(1)))
    return found


def bash_options(cmd, text):
    case = re.search(r"\n\t%s\)\n(.*?)\n\t\t;;" % cmd, text, re.S)
    words = set()
    for w in re.findall(r"compgen -W \$'([^']*)'", case.group(1)):
        words |= {x.split("=")[0] for x in w.split("\\n") if x.startswith("--")}
    return words


def zsh_options(cmd, text):
    case = re.search(r"\n    %s\)\n(.*?)\n      ;;" % cmd, text, re.S)
    return set(OPTION.findall(case.group(1)))


bash = open(f"{src}/share/completions/crosswalk.bash", encoding="utf-8").read()
zsh = open(f"{src}/share/completions/_crosswalk", encoding="utf-8").read()
failures = 0
for cmd in ("convert", "batch", "formats"):
    want = help_options(cmd)
    for shell, got in (("bash", bash_options(cmd, bash)), ("zsh", zsh_options(cmd, zsh))):
        missing = sorted(want - got)
        extra = sorted(got - want - COMMON)
        if missing or extra:
            failures += 1
            print(f"{shell} {cmd}: missing {missing}, not in --help {extra}")
        else:
            print(f"ok: {shell} {cmd}")
sys.exit(1 if failures else 0)
