#!/usr/bin/python3
"""Parsed references as users get them: an OJS-like JATS article with
unstructured references (tests/jats/citations/ojs-unstructured.xml) through
`crosswalk convert --filter references`, with the JATS reader's parse on
(the default) and off, and the parse-citations filter from the command line.

- --report: one "inferred" entry per parsed reference (a note, naming its
  record and the fields), valid against docs/report.schema.json; none with
  --parse-citations=false.
- CSL-JSON: valid against the CSL data schema (../shared/corpus), and
  rendered with citeproc-js (../shared/tools/render-csl, APA): no entry
  says "n.d." or is empty although its text has a year and a title.
- BibTeX: `bibtex` with the plain style warns about no parsed entry.
- the filter's option notes=false leaves a BibTeX note alone.

usage: citations_cli.py CROSSWALK SOURCE_DIR WORK_DIR
Exit 1 on a failure; a check whose tool or corpus is missing is skipped
with a line that says so.
"""
import json
import os
import re
import shutil
import subprocess
import sys

exe, src, work = sys.argv[1:4]
fixture = os.path.join(src, "tests", "jats", "citations", "ojs-unstructured.xml")
corpus = os.environ.get("CW_CORPUS_DIR", os.path.join(src, "..", "shared", "corpus"))
render_csl = os.path.join(src, "..", "shared", "tools", "render-csl")
# the parsed references (R9 is tagged, R10 partly tagged): id -> (author, year)
PARSED = {"R1": ("Thompson", 1963), "R2": ("Smith", 2020), "R3": ("Goldberg", 2011),
          "R4": ("Freire", 1987), "R5": ("Kumar", 2019), "R6": ("Latour", 1993),
          "R7": ("Williams", 2019), "R8": ("Silva", 2018)}

sys.path.insert(0, os.path.join(src, "tests", "support"))
from checklist import check, finish, skip  # noqa: E402

shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
os.chdir(work)


def run(*args):
    p = subprocess.run([exe, *args], capture_output=True, text=True, timeout=120)
    return p.returncode, p.stderr


# --- the report ------------------------------------------------------------

rc, err = run("convert", "--filter", "references", fixture, "refs.json", "--report", "on.json")
check(rc == 0, f"convert with the default parse: status {rc} {err}")
rep = json.load(open("on.json", encoding="utf-8"))
inferred = [d for d in rep["diagnostics"] if d["code"] == "inferred"]
check(len(inferred) == len(PARSED), f"{len(inferred)} inferred entries, want {len(PARSED)}")
check(all(d["severity"] == "note" and "author" in d["message"] and "issued" in d["message"]
          and (d["record"] or d["line"]) for d in inferred),
      "each inferred entry is a note naming fields, located: " + json.dumps(inferred[:1]))
try:
    import jsonschema
    schema = json.load(open(os.path.join(src, "docs", "report.schema.json"), encoding="utf-8"))
    errs = list(jsonschema.Draft202012Validator(schema).iter_errors(rep))
    check(not errs, "the report is valid: " + "; ".join(e.message[:200] for e in errs[:3]))
except ImportError:
    skip("python3-jsonschema is not installed: report schema")

rc, err = run("convert", "--filter", "references", "--parse-citations=false", fixture,
              "off.json", "--report", "off.json.report")
check(rc == 0, f"convert with --parse-citations=false: status {rc} {err}")
off = json.load(open("off.json.report", encoding="utf-8"))
check(not [d for d in off["diagnostics"] if d["code"] == "inferred"],
      "no inferred entry with the parse off")
rc, err = run("convert", "--filter", "references", "-O", "jats.parse-citations=no", fixture,
              "off2.json")
check(rc == 0 and open("off2.json").read() == open("off.json").read(),
      f"-O jats.parse-citations=no is the same: {err}")

# --- CSL-JSON: the schema, and what citeproc-js prints -------------------------

items = {it["custom"]["source-id"]: it for it in json.load(open("refs.json", encoding="utf-8"))}
for rid, (family, year) in PARSED.items():
    it = items.get(rid, {})
    names = [a.get("family", a.get("literal", "")) for a in it.get("author", [])]
    years = it.get("issued", {}).get("date-parts", [[None]])[0][0]
    # case aside: an ABNT surname is written in capitals ("FREIRE, Paulo")
    check([n.lower() for n in names[:1]] == [family.lower()] and years == year
          and it.get("title"),
          f"{rid}: author {names[:1]} year {years} title {it.get('title')!r}")
    check("inferred" in it.get("custom", {}), f"{rid}: custom.inferred")
    check("original-citation" in it.get("custom", {}), f"{rid}: the text is kept")

schema = os.path.join(corpus, "csl", "schema", "csl-data.json")
if os.path.exists(schema):
    p = subprocess.run(["/usr/bin/python3", os.path.join(src, "tests", "tools", "validate_csl.py"),
                        schema, "refs.json"], capture_output=True, text=True)
    check(p.returncode == 0, "CSL schema: " + p.stdout.strip())
else:
    skip("no corpus: CSL schema")

if os.path.exists(render_csl) and shutil.which("node"):
    p = subprocess.run([render_csl, "refs.json", "apa"], capture_output=True, text=True,
                       timeout=300)
    if p.returncode == 0:
        lines = dict(line.split("\t", 1) for line in p.stdout.splitlines() if "\t" in line)
        ids = {it["id"]: it["custom"]["source-id"] for it in items.values()}
        for cid, text in lines.items():
            rid = ids.get(cid)
            if rid not in PARSED:
                continue
            family, year = PARSED[rid]
            check("n.d." not in text and str(year) in text and family.lower() in text.lower(),
                  f"{rid} in APA: {text}")
        check(len([c for c in lines if ids.get(c) in PARSED]) == len(PARSED),
              f"every parsed reference rendered ({len(lines)} lines)")
    else:
        skip("render-csl failed (no citeproc-js?): " + p.stderr.strip()[:200])
else:
    skip("no render-csl or node")

# --- BibTeX ------------------------------------------------------------------

rc, err = run("convert", "--filter", "references", fixture, "refs.bib")
check(rc == 0, f"convert to BibTeX: status {rc} {err}")
if shutil.which("bibtex"):
    with open("doc.aux", "w") as aux:
        aux.write("\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n")
    p = subprocess.run(["bibtex", "-terse", "doc"], capture_output=True, text=True)
    bib = open("refs.bib", encoding="utf-8").read()
    keys = re.findall(r"^@\w+\{([^,]+),", bib, re.M)
    warn = [line for line in (p.stdout + p.stderr).splitlines() if line.startswith("Warning--")]
    check(p.returncode < 2 and not warn, f"bibtex: status {p.returncode}, {warn}")
    check(len(keys) == 10, f"{len(keys)} entries")
else:
    skip("no bibtex")

# --- the filter's option ---------------------------------------------------------

with open("note.bib", "w") as f:
    f.write("@misc{n1, note = {Goldberg DS, McGee SJ. Pain as a global public health "
            "priority. BMC Public Health. 2011;11:770.}}\n")
rc, err = run("convert", "--filter", "parse-citations", "note.bib", "note.json")
note = json.load(open("note.json", encoding="utf-8"))[0]
check(rc == 0 and note.get("author", [{}])[0].get("family") == "Goldberg",
      f"the filter parses a lone note: {json.dumps(note)[:300]} {err}")
rc, err = run("convert", "--filter", "parse-citations:notes=false", "note.bib", "note2.json")
note = json.load(open("note2.json", encoding="utf-8"))[0]
check(rc == 0 and "author" not in note, f"notes=false leaves it: {json.dumps(note)[:300]} {err}")

sys.exit(finish())
