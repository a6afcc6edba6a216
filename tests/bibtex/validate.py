#!/usr/bin/env python3
"""Runs bibtex (plain style, \\nocite{*}) or `biber --tool` on the original
input (all files of a corpus folder, concatenated) and on crosswalk's output
for the same records, and reports every error or warning of the output that
the input did not also produce. Warnings are compared without their entry
keys. Usage: validate.py bibtex|biber INPUT.bib OUTPUT.bib WORKDIR
Exit status: 0 clean, 1 new warnings or errors, 2 the tool could not run."""
import os
import re
import subprocess
import sys


def run_bibtex(bib, work, name):
    d = os.path.join(work, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "refs.bib"), "wb") as out, open(bib, "rb") as src:
        out.write(src.read())
    with open(os.path.join(d, "doc.aux"), "w") as aux:
        aux.write("\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n")
    p = subprocess.run(["bibtex", "-terse", "doc"], cwd=d, capture_output=True)
    text = (p.stdout + p.stderr).decode("utf-8", "replace")
    msgs = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("Warning--"):
            m = line[len("Warning--"):]
            m = re.sub(r" in \S+$", " in *", m)
            m = re.sub(r'"[^"]*"', '"*"', m)
            msgs.append(("warning", m))
        elif line.startswith("I was expecting") or line.startswith("I'm ignoring") or \
                "error message" in line or line.startswith("I couldn't open") or \
                line.startswith("Illegal") or line.startswith("You've exceeded"):
            msgs.append(("error", re.sub(r'"[^"]*"', '"*"', line.strip())))
    return p.returncode, msgs, text


def run_biber(bib, work, name):
    d = os.path.join(work, name)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "refs.bib")
    with open(path, "wb") as out, open(bib, "rb") as src:
        out.write(src.read())
    p = subprocess.run(["biber", "--tool", "--nolog", "--output-file=" + os.path.join(d, "tool.bib"),
                        path], cwd=d, capture_output=True)
    text = (p.stdout + p.stderr).decode("utf-8", "replace")
    msgs = []
    for line in text.splitlines():
        m = re.match(r"(WARN|ERROR) - (.*)", line)
        if not m:
            continue
        msg = m.group(2)
        msg = re.sub(r"entry '[^']*'", "entry '*'", msg)
        msg = re.sub(r"key '[^']*'", "key '*'", msg)
        msg = re.sub(r"line \d+", "line *", msg)
        msg = re.sub(r"[^ ]*refs\.bib", "refs.bib", msg)
        msgs.append(("error" if m.group(1) == "ERROR" else "warning", msg))
    return p.returncode, msgs, text


def main():
    tool, inp, outp, work = sys.argv[1:5]
    run = run_bibtex if tool == "bibtex" else run_biber
    try:
        _, in_msgs, _ = run(inp, work, "input")
        rc, out_msgs, out_text = run(outp, work, "output")
    except OSError as e:
        print(f"cannot run {tool}: {e}")
        return 2
    allowed = set(in_msgs)
    new = [m for m in out_msgs if m not in allowed]
    for sev, m in new:
        print(f"{tool}: new {sev}: {m}")
    if tool == "bibtex" and rc > 1 and not any(s == "error" for s, _ in in_msgs):
        print(f"bibtex exit status {rc}:\n{out_text[-2000:]}")
        return 1
    return 1 if new else 0


sys.exit(main())
