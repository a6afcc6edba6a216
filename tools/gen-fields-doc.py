#!/usr/bin/python3
"""Generates docs/fields.md from the field table in core/include/crosswalk/fields.h.

usage: gen-fields-doc.py SOURCE_DIR [--check]
With --check, exits 1 when docs/fields.md differs from what would be
generated (a ctest test runs this, so the document cannot drift).
"""
import os
import re
import sys

KINDS = {
    "TEXT": "text", "RICH": "rich text", "NUMBER": "number-like text", "DATE": "date",
    "NAMES": "names", "LIST": "list", "RICH_LIST": "rich-text list",
    "AFFILIATIONS": "affiliations", "FUNDING": "funding", "RECORDS": "child records",
}
ROW = re.compile(r'^\s*X\((\w+),\s*(\w+),\s*"([^"]+)",\s*([01]),\s*"((?:[^"\\]|\\.)*)"\)')
TYPE = re.compile(r'^\s*X\((\w+),\s*"([^"]+)"\)')


def generate(src):
    fields, types = [], []
    with open(os.path.join(src, "core/include/crosswalk/fields.h"), encoding="utf-8") as f:
        for line in f:
            m = ROW.match(line)
            if m:
                fields.append(m.groups())
                continue
            m = TYPE.match(line)
            if m:
                types.append(m.group(2))
    out = ["# Canonical record fields", "",
           "Generated from `core/include/crosswalk/fields.h` by `tools/gen-fields-doc.py`;",
           "do not edit by hand. Fields marked CSL are CSL 1.0.2 variables of the same",
           "name; the others are crosswalk's extensions (CSL-JSON carries them in the",
           "item's `custom` object, see [formats/csljson.md](formats/csljson.md)).", "",
           "| # | field | kind | CSL | meaning |", "|---:|---|---|:---:|---|"]
    for i, (ident, kind, name, csl, doc) in enumerate(fields, 1):
        out.append(f"| {i} | `{name}` | {KINDS[kind]} | {'CSL' if csl == '1' else ''} | {doc} |")
    out += ["", "## Item types", "",
            "The CSL 1.0.2 item types, plus *unset* when the source gives none:", "",
            ", ".join(f"`{t}`" for t in types), ""]
    return "\n".join(out)


def main(argv):
    src = argv[1]
    text = generate(src)
    path = os.path.join(src, "docs/fields.md")
    if "--check" in argv[2:]:
        try:
            current = open(path, encoding="utf-8").read()
        except OSError:
            current = None
        if current != text:
            print(f"{path} is out of date: run tools/gen-fields-doc.py {src}")
            return 1
        print(f"{path} is up to date ({text.count(chr(10))} lines)")
        return 0
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
