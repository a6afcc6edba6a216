#!/usr/bin/env python3
"""Each command's parser accepts exactly the options its --help lists (and
the global options of `crosswalk --help`, which every command takes), and an
option takes a value exactly when its help names one.

The help is read as a user reads it; every option it lists is then given to
the real program: with a value if it names one (then also without, which
must be "option X needs a value"), and as --NAME=VALUE if it names none
(which must be refused). The other way round, every option any help lists,
every letter -a..-z, -A..-Z and a few made-up names are given to each
command that does not list them, and so is every "--name" string in the
CLI's sources (an option a parser takes by a strcmp of its own would be
one): each must be refused as an unknown option.
A parser that takes an option its help leaves out, or a help that lists one
the parser does not know, fails here.

usage: options_table.py CROSSWALK SOURCE_DIR WORKDIR
"""
import concurrent.futures
import json
import os
import re
import shutil
import string
import subprocess
import sys

exe, src, work = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)

ITEMS = '[{"id": "a", "type": "book", "title": "T"}]\n'
# a value each kind of option takes without a complaint about it
VALUES = {"FORMAT": "csljson", "N": "2", "NAME=N": "depth=5", "text|json|github": "text",
          "KIND": "formats", "ENC": "utf-8", "FILE[:FORMAT]": "o.json"}
# what follows the option on a command line that is fine apart from it
REST = {None: ["formats", "--names"], "convert": ["in.json", "out.json"],
        "batch": ["batch.yaml"], "formats": []}
COLUMN = re.compile(r"^\s{2,}(-\S.*?)(?:\s{2,}|$)")
LONG = re.compile(r"^--([a-z][a-z0-9-]*)(?:\[=(.+)\]| (.+))?$")



def run(n, args):
    """crosswalk ARGS in a directory of its own (n): (exit status, stdout + stderr)."""
    d = os.path.join(work, str(n))
    os.makedirs(d)
    with open(os.path.join(d, "in.json"), "w", encoding="utf-8") as f:
        f.write(ITEMS)
    p = subprocess.run([exe] + args, cwd=d, capture_output=True, text=True, timeout=60,
                       stdin=subprocess.DEVNULL)
    shutil.rmtree(d, ignore_errors=True)
    return p.returncode, p.stdout + p.stderr


def help_text(cmd):
    args = [cmd, "--help"] if cmd else ["--help"]
    p = subprocess.run([exe] + args, capture_output=True, text=True, check=True)
    return p.stdout


def options_of(text):
    """The options a help lists: {form: (metavar or None, optional)}, one entry per
    spelling (-f and --from both)."""
    found = {}
    for line in text.splitlines():
        m = COLUMN.match(line)
        if not m:
            continue
        short = None
        for piece in m.group(1).split(", "):
            if re.fullmatch(r"-[A-Za-z]", piece):
                short = piece
                continue
            lm = LONG.match(piece)
            if not lm:
                short = None  # --NAME[=VALUE]: a stage's own option, not the command's
                continue
            metavar = lm.group(2) or lm.group(3)
            spec = (metavar, lm.group(2) is not None)
            found["--" + lm.group(1)] = spec
            if short:
                found[short] = spec
            short = None
    return found


main_help = help_text(None)
global_part = main_help.split("global options:\n", 1)[1].split("\n\n", 1)[0]
GLOBAL = options_of(global_part)
commands = re.findall(r"^  ([a-z]+) ",
                      main_help.split("commands:\n", 1)[1].split("\n\n", 1)[0], re.M)
listed = {None: GLOBAL}
for cmd in commands:
    listed[cmd] = options_of(help_text(cmd))

# the options plugins declare: convert takes them as --NAME
stage_names = set()
formats = json.loads(subprocess.run([exe, "formats", "--json"], capture_output=True,
                                    text=True, check=True).stdout)
for plugin in formats["plugins"]:
    for f in plugin["formats"]:
        for o in f["reader_options"] + f["writer_options"]:
            stage_names.add("--" + o["name"])
    for f in plugin["filters"]:
        for o in f["options"]:
            stage_names.add("--" + o["name"])

# "--name" in the CLI's sources
source_names = set()
cli_dir = os.path.join(src, "core", "cli")
for fn in sorted(os.listdir(cli_dir)):
    if fn.endswith((".c", ".h")):
        text = open(os.path.join(cli_dir, fn), encoding="utf-8").read()
        source_names |= set(re.findall(r'"(--[a-z][a-z0-9-]*)', text))

checks = []  # (description, args, predicate on (status, output))


def unknown(form):
    return lambda rc, out: rc == 2 and re.search(
        r"unknown (option|argument) '%s" % re.escape(form), out)


for cmd, opts in listed.items():
    prefix = [cmd] if cmd else []
    accepted = dict(GLOBAL, **opts)
    name = cmd or "crosswalk"
    for form, (metavar, optional) in sorted(accepted.items()):
        value = [VALUES.get(metavar, "x")] if metavar and not optional else []
        checks.append((f"{name}: {form} is listed, so it is taken",
                       prefix + [form] + value + REST[cmd],
                       lambda rc, out, form=form: not re.search(
                           r"unknown (option|argument) '%s|needs a value|takes no value"
                           % re.escape(form), out)))
        if metavar and not optional:
            checks.append((f"{name}: {form} {metavar} needs its value",
                           prefix + REST[cmd] + [form],
                           lambda rc, out, form=form: rc == 2
                           and f"option {form} needs a value" in out))
        if not metavar and form.startswith("--"):
            checks.append((f"{name}: {form} takes no value", prefix + [form + "=1"] + REST[cmd],
                           lambda rc, out: rc == 2))
    # every spelling any help lists, every letter, made-up names
    others = set()
    for o in listed.values():
        others |= set(o)
    others |= {"-" + c for c in string.ascii_letters}
    others |= {"--bogus", "--versions", "--from-file", "--jobs-max"} | source_names
    for form in sorted(others - set(accepted) - stage_names):
        checks.append((f"{name}: {form} is not listed, so it is refused",
                       prefix + [form] + REST[cmd], unknown(form)))

failures = 0
with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
    results = pool.map(run, range(len(checks)), [c[1] for c in checks])
    for (what, args, ok), (rc, out) in zip(checks, results):
        if not ok(rc, out):
            failures += 1
            lines = out.strip().splitlines()
            print(f"FAIL {what}\n  crosswalk {' '.join(args)} exited {rc}:\n  "
                  + "\n  ".join(lines[:8] + (["..."] if len(lines) > 8 else [])))
print(f"{len(checks) - failures} of {len(checks)} checks passed "
      f"({len(commands)} commands: {', '.join(commands)})")
sys.exit(1 if failures else 0)
