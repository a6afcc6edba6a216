#!/usr/bin/python3
"""Generates docs/crosswalk-tables.md from the crosswalk tables in formats/*.yaml.

usage: gen-tables-doc.py SOURCE_DIR [--check]
Each table's top comment becomes its introduction and each section a
Markdown table (columns in order of first appearance). With --check, exits
1 when the document is out of date (a ctest test runs this). Needs
python3-yaml.
"""
import glob
import os
import sys

import yaml


def cell(v):
    if v is None:
        return ""
    if isinstance(v, list):
        v = " | ".join(str(x) for x in v)
    return str(v).replace("|", "\\|").replace("\n", " ")


def intro(path):
    lines = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                break
            lines.append(line[1:].strip())
    return " ".join(x for x in lines if x)


def generate(src):
    out = ["# Crosswalk tables", "",
           "Generated from `formats/*.yaml` by `tools/gen-tables-doc.py`; do not edit by",
           "hand. These are the one-to-one parts of each mapping, compiled into the",
           "plugins and overridable per run with `crosswalk convert --crosswalk FILE.yaml`",
           "(see [../formats/README.md](../formats/README.md)). The rules that need code",
           "(names, dates, markup, LaTeX...) are in each format's page under",
           "[formats/](formats/).", ""]
    for path in sorted(glob.glob(os.path.join(src, "formats", "*.yaml"))):
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        name = os.path.basename(path)
        out += [f"## {doc.get('format', name)} (`formats/{name}`)", ""]
        text = intro(path)
        if text:
            out += [text, ""]
        for key, val in doc.items():
            if not isinstance(val, list) or not all(isinstance(r, dict) for r in val):
                continue
            cols = []
            for row in val:
                for c in row:
                    if c not in cols:
                        cols.append(c)
            out += [f"### {key} ({len(val)} rows)", "",
                    "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
            for row in val:
                out.append("| " + " | ".join(cell(row.get(c)) for c in cols) + " |")
            out.append("")
    return "\n".join(out)


def main(argv):
    src = argv[1]
    text = generate(src)
    path = os.path.join(src, "docs", "crosswalk-tables.md")
    if "--check" in argv[2:]:
        try:
            current = open(path, encoding="utf-8").read()
        except OSError:
            current = None
        if current != text:
            print(f"{path} is out of date: run tools/gen-tables-doc.py {src}")
            return 1
        print(f"{path} is up to date")
        return 0
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
