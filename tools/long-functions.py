#!/usr/bin/env python3
"""Lists the C functions longer than a number of lines, longest first.

    tools/long-functions.py [--over N] [PATH...]     (default: 100, core/ plugins/)

A report to read, not a gate: a long function that is a table written as a
switch reads better whole (docs/design-notes.md, "Long functions"). Lines
are counted from the line with the function's name to its closing brace.
The scan relies on the house format (.clang-format, Linux braces): a
function's body opens with "{" alone at the start of a line and closes with
"}" there; comments, strings and character constants are skipped.
"""
import argparse
import os
import re
import sys

NAME = re.compile(r"([A-Za-z_]\w*)\s*\(")


def strip(src):
    """src with comments, strings and character constants blanked (lines kept)."""
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", src[i:j]))
            i = j
        elif src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and src[j] != c and src[j] != "\n":
                j += 2 if src[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + re.sub(r"[^\n]", " ", src[i + 1 : j - 1]) + c)
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def functions(path):
    """(name, first line, last line) of each function defined in path."""
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = strip(f.read()).split("\n")
    found = []
    for i, line in enumerate(lines):
        if line != "{":
            continue
        # the signature: back to the line that starts at column 0 with the name
        head = i - 1
        while head > 0 and lines[head][:1] in ("", " ", "\t") and lines[head].strip():
            head -= 1
        sig = " ".join(lines[head:i])
        m = NAME.search(sig)
        if not m or sig.rstrip().endswith(("=", ";")) or re.match(r"\s*(struct|enum|union)\b[^(]*$", sig):
            continue
        end = next((k for k in range(i + 1, len(lines)) if lines[k] == "}"), None)
        if end is not None:
            found.append((m.group(1), head + 1, end + 1))
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--over", type=int, default=100, help="list functions longer than this")
    ap.add_argument("paths", nargs="*", default=["core", "plugins"])
    a = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    rows = []
    for p in a.paths:
        p = p if os.path.isabs(p) or os.path.exists(p) else os.path.join(root, p)
        files = [p] if os.path.isfile(p) else [
            os.path.join(d, f) for d, _, fs in os.walk(p) for f in fs if f.endswith((".c", ".h"))]
        for path in sorted(files):
            for name, first, last in functions(path):
                if last - first + 1 > a.over:
                    rows.append((last - first + 1, os.path.relpath(path, root), first, name))
    rows.sort(key=lambda r: (-r[0], r[1], r[2]))
    for n, path, first, name in rows:
        print(f"{n:5d}  {path}:{first}  {name}")
    sys.stdout.flush()
    sys.stdout.flush()
    print(f"{len(rows)} function(s) over {a.over} lines", file=sys.stderr)


if __name__ == "__main__":
    main()
