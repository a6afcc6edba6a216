#!/usr/bin/python3
"""How often crosswalk's CSL agrees with other converters on real fixtures.

    agreement.py --crosswalk build/crosswalk --corpus ../shared/corpus
                 [--known known-differences.txt [--strict]] [--min PCT] [-v]

For every BibTeX fixture of the corpus that has another project's expected
CSL (pandoc's `*.expected.csl.yaml`, citation-js's and pandoc's
`*.expected.csl.json`), converts the .bib with crosswalk and compares the
items field by field, "modulo legitimate choices":

- text is compared without markup (pandoc writes Markdown, citation-js HTML,
  we CSL's HTML-like tags) and without case (sentence case is a style's
  choice), with white space and dashes normalised;
- numbers and numeric strings are equal ("13" == 13);
- a field only we give is no difference (an ISBN, the URL of an arXiv id);
- differences kept on purpose are listed in --known (the reasons are in
  docs/formats/bibtex.md, "Differences from other converters").

Prints the share of items on which every compared field agrees, and the
share once the listed differences are set aside; --strict exits 1 on a
difference the list lacks, --min below a share. Exit 77 (skipped) without
the corpus.
"""
import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

FIELDS = ["type", "title", "container-title", "collection-title", "publisher",
          "publisher-place", "volume", "issue", "page", "edition", "DOI", "URL",
          "ISBN", "ISSN", "number", "genre", "event-title", "volume-title",
          "original-title", "chapter-number", "collection-number", "number-of-volumes",
          "version", "status"]
NAMES = ["author", "editor", "translator", "container-author", "director",
         "compiler", "collection-editor", "original-author"]
DATES = ["issued", "accessed", "event-date", "original-date"]
SUPERSCRIPTS = str.maketrans("\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079",
                             "0123456789")


def plain(v):
    if v is None:
        return None
    s = str(v)
    s = re.sub(r"\[([^\]]*)\]\{\.[a-z]+\}", r"\1", s)      # pandoc spans
    s = re.sub(r"<[^>]+>", "", s)                           # HTML-like tags
    s = re.sub(r"[*_^~`]", "", s)                           # Markdown emphasis
    s = s.translate(SUPERSCRIPTS)                             # x² as x<sup>2</sup>
    s = s.replace("\u2013", "-").replace("\u2014", "-").replace("--", "-")
    s = s.replace("\u00a0", " ").replace("\u2019", "'").replace("\u2018", "'")
    s = s.replace("\u201c", '"').replace("\u201d", '"')
    s = re.sub(r"\\(.)", r"\1", s)                          # Markdown escapes
    return " ".join(s.split()).lower()


def names(v):
    out = []
    for n in v or []:
        if not isinstance(n, dict):
            out.append(plain(n))
        elif "literal" in n:
            out.append(plain(n["literal"]))
        else:
            fam = " ".join(x for x in (n.get("dropping-particle"), n.get("non-dropping-particle"),
                                       n.get("family")) if x)
            g, sfx = n.get("given", ""), n.get("suffix", "")
            # a family name alone is the same name as a literal
            out.append(plain(f"{fam}|{g}|{sfx}") if g or sfx else plain(fam))
    return out


def point(piece):
    """[y, m, d] of "2006-03-01", "-0876", "1723~" (marks dropped)."""
    m = re.match(r"^(-?\d+)(?:-(\d+))?(?:-(\d+))?", piece.strip().replace("\\", ""))
    return [int(x) for x in m.groups() if x is not None] if m else None


def date(v):
    """A date as (start, end): parts lists, end "open" for an open range, None
    for a point; text that is no date as its plain form."""
    if v is None:
        return None
    if isinstance(v, datetime.date):
        return ([v.year, v.month, v.day], None)
    if isinstance(v, (int, str)):          # pandoc YAML: 2006, "2006-03", "1988/1992", "1999/"
        pieces = str(v).split("/")
        start = point(pieces[0])
        if start is None:
            return plain(v)
        if len(pieces) == 1:
            return (start, None)
        return (start, point(pieces[1]) or "open")
    if isinstance(v, dict):
        if "date-parts" in v:
            dp = [[int(x) for x in p if str(x).strip().lstrip("-").isdigit()] for p in v["date-parts"]]
            if not dp or not dp[0]:
                return None
            if len(dp) == 1:
                return (dp[0], None)
            return (dp[0], "open" if not any(dp[1]) else dp[1])
        if v.get("raw"):
            return date(v["raw"])
        return plain(v.get("literal"))
    return v


def compare(ours, theirs):
    """Fields that differ. A field only we have is no difference (we carry
    more: an ISBN, the URL of an arXiv id); one only they have is."""
    diffs = []
    for f in FIELDS:
        a, b = plain(ours.get(f)), plain(theirs.get(f))
        if a != b and not (b is None and f != "type"):
            diffs.append((f, ours.get(f), theirs.get(f)))
    for f in NAMES:
        a, b = names(ours.get(f)), names(theirs.get(f))
        if a != b and b:
            diffs.append((f, a, b))
    for f in DATES:
        a, b = date(ours.get(f)), date(theirs.get(f))
        if a != b and b is not None:
            diffs.append((f, ours.get(f), theirs.get(f)))
    return diffs


def expected_items(path):
    if path.endswith(".yaml"):
        docs = [d for d in yaml.safe_load_all(open(path, encoding="utf-8")) if d]
        items = []
        for d in docs:
            items.extend(d.get("references", []) if isinstance(d, dict) else [])
        return items
    return json.load(open(path, encoding="utf-8"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--crosswalk", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--min", type=float, help="exit 1 when fewer items (percent) agree")
    ap.add_argument("--known", help="differences kept on purpose, '<fixture> <id> <field>' lines")
    ap.add_argument("--strict", action="store_true",
                    help="exit 1 on any difference --known does not list")
    ap.add_argument("-v", action="store_true", help="print every difference")
    a = ap.parse_args()
    root = os.path.join(a.corpus, "bibtex")
    if not os.path.isdir(root):
        print(f"skipped: corpus not found ({a.corpus})")
        return 77
    pairs = []
    for dirpath, dirs, files in os.walk(root):
        dirs.sort()
        for fn in sorted(files):
            for suffix in (".expected.csl.yaml", ".expected.csl.json"):
                if fn.endswith(suffix):
                    bib = os.path.join(dirpath, fn[: -len(suffix)] + ".bib")
                    if os.path.exists(bib):
                        pairs.append((bib, os.path.join(dirpath, fn)))
    known = set()
    if a.known:
        for line in open(a.known, encoding="utf-8"):
            line = line.split("#")[0].strip()
            if line:
                known.add(" ".join(line.split()))
    total = agree = agree_known = 0
    seen_known = set()
    undocumented = []
    by_field = {}
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.json")
        for bib, exp in pairs:
            r = subprocess.run([a.crosswalk, "convert", "-q", "-f", "biblatex", bib, "-t", "csljson",
                                "-o", out], capture_output=True, text=True)
            ours = {str(i.get("citation-key", i.get("id"))): i for i in json.load(open(out))} \
                if r.returncode in (0, 1) else {}
            for t in expected_items(exp):
                total += 1
                o = ours.get(str(t.get("id")))
                if o is None:
                    lines.append(f"{os.path.relpath(bib, root)} {t.get('id')}: missing")
                    continue
                d = compare(o, t)
                if not d:
                    agree += 1
                rel = os.path.relpath(bib, root)
                left = 0
                for f, x, y in d:
                    by_field[f] = by_field.get(f, 0) + 1
                    line = f"{rel} {t.get('id')} {f}: ours={x!r} theirs={y!r}"
                    lines.append(line)
                    k = f"{rel} {t.get('id')} {f}"
                    if k in known:
                        seen_known.add(k)
                    else:
                        left += 1
                        undocumented.append(line)
                if not left:
                    agree_known += 1
    share = 100.0 * agree / total if total else 0.0
    print(f"{len(pairs)} fixtures, {total} items: {agree} agree on every field ({share:.1f}%)")
    if a.known:
        share_known = 100.0 * agree_known / total if total else 0.0
        print(f"  {agree_known} ({share_known:.1f}%) once the differences kept on purpose "
              f"({a.known}) are set aside")
    print("  differing fields: " + ", ".join(f"{f} {n}" for f, n in sorted(by_field.items(), key=lambda x: -x[1])))
    if a.v:
        print("\n".join(lines))
    status = 0
    if a.known:
        for k in sorted(known - seen_known):
            print(f"  note: listed, no longer seen: {k}")
        if undocumented:
            print("undocumented differences:\n" + "\n".join(undocumented))
            status = 1 if a.strict else 0
    if a.min is not None and share < a.min:
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
