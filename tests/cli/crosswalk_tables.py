#!/usr/bin/env python3
"""--crosswalk files through the CLI.

Every kind of misspelling in a table is an error at its place, with exit
status 2 and nothing converted: a section, a column, the format name, a
value of an enumerated column, a field name, a CSL type, a word of a list,
a missing required column. And an override changes reading and writing
alike: JATS history dates and citation elements, BibTeX's type-sets and the
entry type a types row writes.

usage: crosswalk_tables.py CROSSWALK WORKDIR
"""
import os
import subprocess
import sys

EXE, WORK = sys.argv[1], sys.argv[2]
os.makedirs(WORK, exist_ok=True)
failures = []


def write(name, text):
    path = os.path.join(WORK, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def convert(table, src, to, *extra):
    args = [EXE, "convert", src, "-t", to, *extra]
    if table is not None:
        args[2:2] = ["--crosswalk", table]
    return subprocess.run(args, capture_output=True, text=True)


def check(what, cond, detail=""):
    if not cond:
        failures.append(f"{what}: {detail}")


BIB = write("in.bib", "@article{a, title={T}, journal={J}, year=2001, number={3}}\n")

# (what, table, the message's place and words)
MISSPELLINGS = [
    ("section", "format: bibtex\nfeilds:\n  - {bibtex: journal, field: container-title}\n",
     ":2:1: unknown section \"feilds\"", "did you mean \"fields\"?"),
    ("column", "format: bibtex\nfields:\n  - {bibtex: journal, feild: container-title}\n",
     ":3:23: unknown column \"feild\" in section \"fields\"", "did you mean \"field\"?"),
    ("format name", "format: bibtx\ntypes:\n  - {bibtex: article, csl: article-journal}\n",
     ":1:9: unknown format \"bibtx\"", "did you mean \"bibtex\"?"),
    ("enum value", "format: bibtex\ntypes:\n  - {bibtex: article, csl: article-journal, dir: In}\n",
     ":3:50: \"In\" is not a value (column \"dir\" of section \"types\")", "did you mean \"in\"?"),
    ("field name", "format: bibtex\nfields:\n  - {bibtex: journal, field: containr-title}\n",
     ":3:30: \"containr-title\" is not a field name", "did you mean \"container-title\"?"),
    ("CSL type", "format: csljson\narticle-number-types:\n  - {type: reveiw}\n",
     ":3:12: \"reveiw\" is not a CSL item type", "did you mean \"review\"?"),
    ("word of a list", "format: jats\npublication-type-inference:\n"
     "  - {has: [source, volme], csl: article-journal}\n",
     ":3:20: \"volme\" is not a value (column \"has\"", "did you mean \"volume\"?"),
    ("bool value", "format: dc\ntypes:\n  - {dc: x, vocab: word, genre: nope}\n",
     ":3:33: \"nope\" is not yes or no", "(known: yes, no, true, false)"),
    ("missing required column", "format: bibtex\ntypes:\n  - {csl: article-journal}\n",
     ":3:5: a row of section \"types\" lacks column \"bibtex\" (required)", ""),
    ("missing format key", "types:\n  - {bibtex: article, csl: book}\n",
     "has no \"format\" key", ""),
    ("field of another kind", "format: jats\nhistory-dates:\n  - {jats: submitted, field: title}\n",
     ":3:30: field \"title\" holds rich text; column \"field\" of section \"history-dates\" "
     "takes date fields", ""),
]

for what, text, where, hint in MISSPELLINGS:
    table = write("bad.yaml", text)
    r = convert(table, BIB, "csljson")
    check(what + ": exit status", r.returncode == 2, f"{r.returncode}: {r.stderr}")
    check(what + ": nothing written", r.stdout == "", r.stdout)
    check(what + ": located message", (table + where) in r.stderr or
          (what == "missing format key" and where in r.stderr), r.stderr)
    check(what + ": suggestion", hint in r.stderr, r.stderr)

# every problem of one file is reported, each at its place
table = write("bad.yaml", "format: bibtex\nfeilds: []\ntypes:\n  - {bibtex: a, csl: boook}\n")
r = convert(table, BIB, "csljson")
check("two problems", r.returncode == 2 and table + ":2:1:" in r.stderr and
      table + ":4:22:" in r.stderr, r.stderr)

# --- an override changes reading and writing alike ---

JATS = write("in.xml", """<article><front><article-meta>
<title-group><article-title>T</article-title></title-group>
<history><date date-type="submitted"><day>1</day><month>2</month><year>2020</year></date></history>
</article-meta></front><back><ref-list><ref id="r1"><element-citation publication-type="journal">
<source>Nature</source><series>Vol. Series</series><volume>3</volume></element-citation></ref>
</ref-list></back></article>
""")
hist = write("hist.yaml", "format: jats\nhistory-dates:\n  - {jats: submitted, field: received}\n")
r = convert(None, JATS, "csljson")
check("jats history: without", r.returncode == 0 and '"received"' not in r.stdout, r.stdout)
r = convert(hist, JATS, "csljson")
check("jats history: read", r.returncode == 0 and '"received"' in r.stdout, r.stderr)
r = convert(hist, JATS, "jats")
check("jats history: written", r.returncode == 0 and 'date-type="submitted"' in r.stdout and
      'date-type="received"' not in r.stdout, r.stdout)

# a citation element read into another field is written from that field
cite = write("cite.yaml", "format: jats\ncitation-elements:\n"
             "  - {jats: series, field: container-title-short, noise: \"yes\"}\n")
r = convert(cite, JATS, "csljson", "--filter", "references")
check("jats citation element: read", r.returncode == 0 and
      '"container-title-short": "Vol. Series"' in r.stdout and '"collection-title"' not in
      r.stdout, r.stdout + r.stderr)
r = convert(cite, JATS, "jats")
check("jats citation element: written", r.returncode == 0 and
      "<series>Vol. Series</series>" in r.stdout, r.stdout + r.stderr)
CSL = write("cite.json", '[{"id": "a", "type": "article-journal", "title": "T",'
            ' "container-title-short": "Short"}]')
r = convert(cite, CSL, "jats", "-O", "jats-fragment=ref-list")
check("jats citation element: written from the field", r.returncode == 0 and
      "<series>Short</series>" in r.stdout, r.stdout + r.stderr)
r = convert(None, CSL, "jats", "-O", "jats-fragment=ref-list")
check("jats citation element: not without", "<series>" not in r.stdout, r.stdout)
# what the element no longer writes is reported, what it writes now is not
MOVED = write("moved.json", '[{"id": "a", "type": "article-journal", "title": "T",'
              ' "collection-title": "Coll", "container-title-short": "Short"}]')
r = convert(cite, MOVED, "jats", "-O", "jats-fragment=ref-list")
check("jats citation element: the field it wrote before is reported",
      "not carried by jats: collection-title" in r.stderr and
      "container-title-short" not in r.stderr, r.stderr)
r = convert(None, MOVED, "jats", "-O", "jats-fragment=ref-list")
check("jats citation element: without, the other way round",
      "<series>Coll</series>" in r.stdout and "collection-title" not in r.stderr and
      "not carried by jats: container-title-short" in r.stderr, r.stdout + r.stderr)

# BibTeX: a report whose number is its issue, reading and writing
TR = write("tr.bib", "@techreport{t, title={T}, institution={I}, year=2001, number={7}}\n")
sets = write("sets.yaml", "format: bibtex\ntype-sets:\n"
             "  - {set: articles, types: [article-journal, report]}\n")
r = convert(None, TR, "csljson")
check("bibtex type-sets: without", '"number": "7"' in r.stdout, r.stdout)
r = convert(sets, TR, "csljson")
check("bibtex type-sets: read", r.returncode == 0 and '"issue": "7"' in r.stdout, r.stdout)
REPORT = write("report.json", '[{"id": "t", "type": "report", "title": "T", "issue": "7",'
               ' "publisher": "I", "issued": {"date-parts": [[2001]]}}]')
r = convert(None, REPORT, "bibtex")
check("bibtex type-sets: issue not written without", "number = {7}" not in r.stdout, r.stdout)
# the rows that write issue name the set: the report's issue is its number
r = convert(sets, REPORT, "bibtex")
check("bibtex type-sets: written", r.returncode == 0 and "number = {7}" in r.stdout,
      r.stdout + r.stderr)

# a types row with a condition: a chapter with a container-title is @incollection
CH = write("ch.json", '[{"id": "c", "type": "chapter", "title": "T", "container-title": "B"}]')
r = convert(None, CH, "biblatex")
check("bibtex types: default", r.stdout.startswith("@incollection{"), r.stdout)
types = write("types.yaml", "format: bibtex\ntypes:\n  - {bibtex: inbook, csl: chapter}\n")
r = convert(types, CH, "biblatex")
check("bibtex types: override", r.returncode == 0 and r.stdout.startswith("@inbook{"), r.stdout)

for f in failures:
    print("FAIL", f)
print(f"{len(MISSPELLINGS)} misspellings, {len(failures)} failures")
sys.exit(1 if failures else 0)
