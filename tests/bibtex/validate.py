#!/usr/bin/env python3
"""Runs bibtex (plain style, \\nocite{*}) or `biber --tool` on original
inputs and on crosswalk's output for the same records, and reports every
error or warning of an output that its input did not also produce. Warnings
are compared without their entry keys.
Usage: validate.py bibtex|biber LIST WORKDIR, where LIST has one
"input<TAB>output" line per converted file. bibtex runs once per file;
biber (slow to start) once on all inputs and once on all outputs,
concatenated in the same order.
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
            m = re.sub(r" (in|for) .*$", " *", m)
            # the same complaint worded by entry type ("need author, editor, or key"
            # for books, "need author or key" for misc): one class
            m = re.sub(r"^to sort, need .* key", "to sort, need a name or key", m)
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
    raws = RAW.setdefault(name, [])
    raws.clear()
    for line in text.splitlines():
        m = re.match(r"(WARN|ERROR) - (.*)", line)
        if not m:
            continue
        msg = m.group(2)
        # entry keys (which the concatenation of many files makes ambiguous) are not compared
        msg = re.sub(r"(entry|key:?|alias|xref|crossref|member|Entry) '[^']*'", r"\1 '*'", msg)
        msg = re.sub(r"line \d+", "line *", msg)
        # a non-integer year or month is one complaint whatever its text (LaTeX in it
        # is decoded on the way, so the text differs)
        msg = re.sub(r"legacy (year|month) field '.*' in", r"legacy \1 field '*' in", msg)
        msg = re.sub(r"/tmp/\S+", "<tmp>", msg)
        msg = re.sub(r"[^ ]*refs\.bib", "refs.bib", msg)
        msgs.append(("error" if m.group(1) == "ERROR" else "warning", msg))
        raws.append(m.group(2))
    return p.returncode, msgs, text


RAW = {}  # run name -> raw biber messages, in the order of its msgs


def concat(paths, dest):
    with open(dest, "wb") as out:
        for p in paths:
            with open(p, "rb") as src:
                out.write(src.read())
            out.write(b"\n")


def main():
    tool, listfile, work = sys.argv[1:4]
    pairs = [line.rstrip("\n").split("\t") for line in open(listfile) if line.strip()]
    kept = pairs
    if tool == "biber":
        # biber refuses a whole file that is not UTF-8: such inputs (a few
        # Latin-1 fixtures) are left out of the comparison, with a note
        kept = []
        for a, b in pairs:
            try:
                open(a, "rb").read().decode("utf-8")
                kept.append((a, b))
            except UnicodeDecodeError:
                print(f"note: {a} is not UTF-8; biber cannot read it, not compared")
        pairs = kept
        os.makedirs(work, exist_ok=True)
        concat([a for a, _ in pairs], os.path.join(work, "all-in.bib"))
        concat([b for _, b in pairs], os.path.join(work, "all-out.bib"))
        pairs = [(os.path.join(work, "all-in.bib"), os.path.join(work, "all-out.bib"))]
    run = run_bibtex if tool == "bibtex" else run_biber
    status = 0
    for n, (inp, outp) in enumerate(pairs):
        try:
            _, in_msgs, _ = run(inp, work, f"in{n}")
            rc, out_msgs, out_text = run(outp, work, f"out{n}")
        except OSError as e:
            print(f"cannot run {tool}: {e}")
            return 2
        allowed = set(in_msgs)
        new = [m for m in out_msgs if m not in allowed]
        if new and tool == "biber":
            # The concatenated input can hide a warning (an earlier broken file, a
            # duplicate key): check the files that hold the entries named in the
            # new warnings one by one.
            raws = RAW.get(f"out{n}", [])
            keys = set()
            for (sev, m), raw in zip(out_msgs, raws):
                if (sev, m) in new:
                    keys.update(re.findall(r"entry '([^']*)'", raw))
            for k, (a, _) in enumerate(kept):
                text = open(a, "rb").read().decode("utf-8", "replace").lower()
                if any(re.search(r"[{(]\s*" + re.escape(key.lower()) + r"\s*,", text) for key in keys):
                    _, single, _ = run(a, work, f"single{k}")
                    allowed.update(single)
            new = [m for m in out_msgs if m not in allowed]
        for sev, m in new:
            print(f"{inp}: {tool}: new {sev}: {m}")
        if new:
            status = 1
        if tool == "bibtex" and rc > 1 and not any(s == "error" for s, _ in in_msgs):
            print(f"{inp}: bibtex exit status {rc}:\n{out_text[-2000:]}")
            status = 1
    return status


sys.exit(main())
