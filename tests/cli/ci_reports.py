#!/usr/bin/env python3
"""crosswalk in CI: accepted losses (--allow-loss, --allow-loss-from a
baseline report), --report files of every kind of run validated against
docs/report.schema.json, and --diagnostics-format json and github.

usage: ci_reports.py CROSSWALK SOURCE_DIR WORK_DIR
"""
import json
import os
import shutil
import subprocess
import sys

import jsonschema

exe, src, work = sys.argv[1:4]
sys.path.insert(0, os.path.join(src, "tests", "support"))
from checklist import check, finish  # noqa: E402

article = os.path.join(src, "examples", "article.xml")
schema = json.load(open(os.path.join(src, "docs", "report.schema.json"), encoding="utf-8"))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
diag_schema = dict(schema["$defs"]["diagnostic"], **{"$defs": schema["$defs"]})
diag_validator = jsonschema.Draft202012Validator(diag_schema)

shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
os.chdir(work)

def run(*args):
    p = subprocess.run([exe, *args], capture_output=True, text=True, timeout=120)
    return p.returncode, p.stderr


def report(path, status, what):
    """Loads a report, validates it, checks its exit status; returns it (or None)."""
    if not check(os.path.exists(path), f"{what}: {path} is written"):
        return None
    with open(path, encoding="utf-8") as f:
        r = json.load(f)
    errors = sorted(validator.iter_errors(r), key=str)
    check(not errors, f"{what}: {path} is valid against the schema " +
          "; ".join(e.message for e in errors[:3]))
    check(r["summary"]["exit_status"] == status,
          f"{what}: summary.exit_status {r['summary']['exit_status']} == {status}")
    return r


def codes(r):
    return [d["code"] for d in r["diagnostics"]]


# the article has losses BibTeX cannot carry
LOSSES = ["section", "subjects", "affiliations", "reference-list"]

# --- success, and warnings -------------------------------------------------
rc, err = run("convert", os.path.join(src, "examples", "article.bib"), "clean.json",
              "--report", "success.json")
check(rc == 0, f"a clean run exits 0 ({rc}: {err})")
r = report("success.json", 0, "success")
if r:
    check(r["summary"]["records_written"] == 1, "success: a record written")

rc, err = run("convert", article, "a.bib", "--report", "warnings.json")
check(rc == 0, f"losses without --strict: exit 0 ({rc})")
r = report("warnings.json", 0, "warnings")
if r:
    lost = [d for d in r["diagnostics"] if d["code"] == "not-carried"]
    check(sorted(d["field"] for d in lost) == sorted(LOSSES), f"the losses are {LOSSES}")
    check(all(d["severity"] == "warning" and d["plugin"] == "bibtex" for d in lost),
          "losses are warnings of the bibtex writer")
    check("success" not in codes(r), "no warning has the code 'success'")
    check(r["summary"]["not_carried"] == 4 and r["summary"]["warnings"] == 4,
          "summary counts 4 losses")
# one summary line per writer and field, not one per record
for field in LOSSES:
    check(f"crosswalk: warning: not carried by bibtex: {field} (1 record)\n" in err,
          f"the run's summary line for {field}")
check(err.count("\n") == 4, f"4 lines on stderr, not more: {err!r}")

# --- a loss is dropped or degraded ------------------------------------------
with open("thesis.json", "w", encoding="utf-8") as f:
    f.write('[{"id": "t1", "type": "thesis", "title": "T", "author": [{"family": "Doe"}],'
            ' "issued": {"date-parts": [[2004], [2005]]}}]')
rc, err = run("convert", "thesis.json", "thesis.xml", "--report", "kinds.json")
r = report("kinds.json", 0, "loss kinds")
if r:
    kinds = {d["field"]: d["loss"] for d in r["diagnostics"] if d["kind"] == "not-carried"}
    check(kinds.get("issued") == "degraded", f"a range whose end JATS cannot hold: degraded {kinds}")
    check(kinds.get("id") == "dropped", f"an id JATS has no place for: dropped {kinds}")
    check(all(d["loss"] is None for d in r["diagnostics"] if d["kind"] != "not-carried"),
          "other diagnostics have no loss kind")
check("crosswalk: warning: degraded by jats: issued (1 record)\n" in err,
      f"the summary line says degraded: {err!r}")
check("crosswalk: warning: not carried by jats: id (1 record)\n" in err,
      f"and not carried for a dropped one: {err!r}")
rc, err = run("convert", "thesis.json", "thesis.xml", "--strict")
check(rc == 5, f"--strict fails on a degraded value too ({rc})")

# --- --strict fails, then passes with the losses accepted -------------------
rc, err = run("convert", article, "strict.bib", "--strict", "--report", "strict.json")
check(rc == 5, f"--strict with losses: exit 5 ({rc})")
check(not os.path.exists("strict.bib"), "--strict failure writes no output")
r = report("strict.json", 5, "strict failure")
if r:
    check(r["summary"]["records_written"] == 0, "strict failure: records_written 0")
    check(r["summary"]["errors"] == 4, "strict failure: 4 errors")
    check(set(codes(r)) >= {"not-carried"}, "strict failure: not-carried codes")

allow = [a for f in LOSSES for a in ("--allow-loss", "bibtex:" + f)]
rc, err = run("convert", article, "allowed.bib", "--strict", "--report", "allowed.json", *allow)
check(rc == 0, f"--strict with every loss accepted: exit 0 ({rc}: {err})")
check(os.path.exists("allowed.bib"), "accepted losses: the output is written")
r = report("allowed.json", 0, "accepted losses")
if r:
    acc = [d for d in r["diagnostics"] if d["code"] == "accepted-loss"]
    check(len(acc) == 4 and all(d["severity"] == "warning" for d in acc),
          "accepted losses are still reported, as warnings with their own code")
    check(r["summary"]["accepted_losses"] == 4 and r["summary"]["not_carried"] == 0,
          "accepted losses are counted apart")
check("not carried" not in err, f"accepted losses are not printed by default: {err!r}")
rc, err = run("convert", "-v", article, "allowed.bib", "--strict", *allow)
check(rc == 0 and "not carried by bibtex: affiliations" in err,
      f"-v lists the accepted losses: {err!r}")

# any writer (no FORMAT, or "*"), and "*" for every loss
rc, err = run("convert", article, "any.bib", "--strict", "--allow-loss", "section",
              "--allow-loss", "*:subjects", "--allow-loss", "affiliations",
              "--allow-loss", "reference-list")
check(rc == 0, f"--allow-loss FIELD accepts it for any writer ({rc}: {err})")
rc, err = run("convert", article, "star.bib", "--strict", "--allow-loss", "bibtex:*")
check(rc == 0, f"--allow-loss bibtex:* accepts every loss of bibtex ({rc}: {err})")
# a loss accepted for another writer only is not accepted here
rc, err = run("convert", article, "other.bib", "--strict", "--allow-loss", "csljson:*")
check(rc == 5, f"losses accepted for csljson do not cover bibtex ({rc})")
# one loss left out: still fails, on that one
rc, err = run("convert", article, "three.bib", "--strict", *allow[:6])
errors = [x for x in err.splitlines() if ": error: " in x]
check(rc == 5 and len(errors) == 1 and errors[0].endswith("not carried by bibtex: reference-list"),
      f"one loss not accepted: exit 5 naming it, and only it ({rc}: {err})")
# typos and unknown writers are usage errors, before anything is converted
rc, err = run("convert", article, "typo.bib", "--allow-loss", "affiliation",
              "--report", "typo.json")
check(rc == 2 and "affiliation" in err, f"an unknown field is refused ({rc}: {err})")
r = report("typo.json", 2, "unknown field")
if r:
    check(codes(r) == ["usage"], "unknown field: code usage")
rc, err = run("convert", article, "typo.bib", "--allow-loss", "nosuch:title")
check(rc == 2, f"an unknown writer is refused ({rc}: {err})")

# --- a baseline: the report of today's run, then only new losses fail --------
rc, err = run("convert", article, "base.bib", "--strict", "--allow-loss-from", "warnings.json",
              "--report", "base.json")
check(rc == 0, f"--allow-loss-from its own earlier report: exit 0 ({rc}: {err})")
report("base.json", 0, "baseline run")
# its report is a baseline too (accepted losses stay accepted)
rc, err = run("convert", article, "base2.bib", "--strict", "--allow-loss-from", "base.json")
check(rc == 0, f"--allow-loss-from a report of accepted losses: exit 0 ({rc}: {err})")
# a new loss (funding, which BibTeX cannot carry) fails the run
text = open(article, encoding="utf-8").read()
funded = text.replace("</article-meta>", "<funding-group><award-group><funding-source>NSF"
                      "</funding-source><award-id>1</award-id></award-group></funding-group>"
                      "</article-meta>")
check(funded != text, "the article was given a funding group")
with open("funded.xml", "w", encoding="utf-8") as f:
    f.write(funded)
rc, err = run("convert", "funded.xml", "funded.bib", "--strict", "--allow-loss-from",
              "warnings.json", "--report", "funded.json")
check(rc == 5 and "funding" in err, f"a new loss not in the baseline: exit 5 ({rc}: {err})")
r = report("funded.json", 5, "new loss")
if r:
    bad = [d for d in r["diagnostics"] if d["code"] == "not-carried"]
    check([d["field"] for d in bad] == ["funding"] and bad[0]["severity"] == "error",
          "only the new loss is an error")
    check(r["summary"]["accepted_losses"] == 4, "the baseline's losses are accepted")
# a file that is not a report
with open("notreport.json", "w") as f:
    f.write('{"diagnostics": [{"kind": "not-carried", "plugin": "bibtex"')
rc, err = run("convert", article, "x.bib", "--allow-loss-from", "notreport.json")
check(rc == 2 and "notreport.json" in err, f"a broken baseline is refused ({rc}: {err})")
rc, err = run("convert", article, "x.bib", "--allow-loss-from", "missing.json")
check(rc == 2 and "missing.json" in err, f"a missing baseline is refused ({rc}: {err})")

# --- reports of runs that fail before or after the pipeline ------------------
rc, err = run("convert", "nosuch.xml", "out.bib", "--report", "missing.json")
check(rc == 3, f"missing input: exit 3 ({rc})")
r = report("missing.json", 3, "missing input")
if r:
    check(codes(r) == ["input-error"], f"missing input: code input-error {codes(r)}")
    check(r["summary"]["errors"] == 1, "missing input: counted as an error")

# a record that cannot be read is skipped (exit 1); an input that cannot be
# read at all is bad input (exit 3); a plugin that cannot be loaded (exit 6)
def failed_run(name, text, status, what, *args):
    """Writes text to name and converts it; with global options (args: a
    plugin named name) the example article instead. Checks the exit status;
    returns the run's report, validated (or None)."""
    with open(name, "w", encoding="utf-8") as f:
        f.write(text)
    out = name.replace(".", "-") + ".json"
    rc, _ = run(*args, "convert", article if args else name, "out-" + out, "--report", out)
    check(rc == status, f"{what}: exit {status} ({rc})")
    return report(out, status, what)


r = failed_run("skip.bib", "@article{a, title={A}}\n@article{b, title = {B\n"
               "@article{c, title={C}}\n", 1, "a skipped record")
if r:
    check(codes(r) == ["skipped-record"] and r["diagnostics"][0]["severity"] == "error" and
          (r["diagnostics"][0]["line"], r["diagnostics"][0]["record"]) == (2, "b"),
          f"skipped record: one located skipped-record error {r['diagnostics']}")
    check((r["summary"]["records_read"], r["summary"]["records_skipped"],
           r["summary"]["records_written"]) == (2, 1, 2),
          f"skipped record: counts {r['summary']}")
r = failed_run("broken.xml", "<article><front><article-meta><title-group>", 3,
               "an article that is not well-formed")
if r:
    check(codes(r) == ["bad-input"] and r["diagnostics"][0]["severity"] == "error",
          f"bad input: one bad-input error {r['diagnostics']}")
r = failed_run("notaplugin.so", "not a shared object\n", 6, "a plugin that cannot be loaded",
               "--plugin", os.path.abspath("notaplugin.so"))
if r:
    check(codes(r) == ["plugin"], f"plugin: code plugin {codes(r)}")

os.makedirs("ro")
rc, err = run("convert", article, "nodir/out.bib", "--report", "unwritable.json")
check(rc == 4, f"an output in a directory that does not exist: exit 4 ({rc})")
r = report("unwritable.json", 4, "unwritable output")
if r:
    check("output-error" in codes(r), f"unwritable output: code output-error {codes(r)}")
    check(r["summary"]["records_written"] == 0, "unwritable output: records_written 0")
if os.path.exists("/dev/full"):
    rc, err = run("convert", article, "-t", "csljson", "/dev/full", "--report", "full.json")
    check(rc == 4, f"a full device: exit 4 ({rc})")
    r = report("full.json", 4, "full device")
    if r:
        check("output-error" in codes(r), f"full device: code output-error {codes(r)}")

rc, err = run("convert", article, "-t", "nosuch", "x.out", "--report", "format.json")
check(rc == 2, f"unknown format: exit 2 ({rc})")
r = report("format.json", 2, "unknown format")
if r:
    check(codes(r) == ["usage"], f"unknown format: code usage {codes(r)}")
rc, err = run("convert", "--report", "option.json", article, "x.bib", "--limit", "nope=1")
check(rc == 2, f"a bad option after --report: exit 2 ({rc})")
report("option.json", 2, "bad option")
# the report never replaces another argument's file
shutil.copy(article, "in.xml")
rc, err = run("convert", "--report", "in.xml", "in.xml", "--limit")
check(rc == 2 and open("in.xml", encoding="utf-8").read() == text,
      "a failed command line does not write its report over the input")
# a skipped record
with open("bad.jsonl", "w") as f:
    f.write('{"id": "a", "type": "book", "title": "A"}\n{"id": "b", "title": x}\n')
rc, err = run("convert", "bad.jsonl", "-t", "csljson", "partial.json", "--report", "skip.json")
check(rc == 1, f"a skipped record: exit 1 ({rc})")
r = report("skip.json", 1, "skipped record")
# a limit: the entry names it ("limit"), the message says nothing of --limit
with open("deep.json", "w") as f:
    f.write('[{"id": "a", "type": "book", "x": [[[[1]]]]}]\n')
rc, err = run("convert", "--limit", "depth=3", "deep.json", "deep.bib", "--report", "limit.json")
check(rc == 3, f"a limit: exit 3 ({rc})")
check("raise it with --limit depth=N" in err, f"a limit: the text says how to raise it ({err})")
r = report("limit.json", 3, "limit")
if r:
    hit = [d for d in r["diagnostics"] if d["code"] == "limit"]
    check(len(hit) == 1 and hit[0].get("limit") == "depth" and "--limit" not in hit[0]["message"],
          f"a limit: named by \"limit\", not in the message {hit}")
    check(all("limit" not in d for d in r["diagnostics"] if d["code"] != "limit"),
          "only a limit's entry has \"limit\"")

# --- --diagnostics-format ----------------------------------------------------
rc, err = run("convert", article, "j.bib", "-v", "--diagnostics-format=json")
lines = err.splitlines()
# 4 losses, and 5 "inferred" notes: the JATS reader parses the seed's unstructured references
check(rc == 0 and len(lines) == 9, f"json: one line per diagnostic with -v ({len(lines)})")
for line in lines:
    try:
        d = json.loads(line)
    except ValueError:
        check(False, f"json: {line!r} is JSON")
        continue
    errors = list(diag_validator.iter_errors(d))
    check(not errors, f"json: {line[:60]}... is a report diagnostic")
rc, err = run("convert", article, "j.bib", "--diagnostics-format", "json")
objs = [json.loads(x) for x in err.splitlines()]
check(len(objs) == 4 and all(o["code"] == "not-carried" and o["count"] == 1 for o in objs),
      f"json: the run's loss summary as objects with a count {objs}")
rc, err = run("convert", "nosuch.xml", "j.bib", "--diagnostics-format=json")
check(rc == 3 and json.loads(err)["code"] == "input-error", f"json: errors of the CLI too {err}")

odd = "a,b:c%d.bib"
rc, err = run("convert", article, odd, "-v", "--diagnostics-format=github")
lines = err.splitlines()
check(rc == 0 and all(x.startswith(("::warning ", "::notice ")) for x in lines),
      f"github: workflow commands {lines[:2]}")
check("::warning file=a%2Cb%3Ac%25d.bib,title=crosswalk not-carried::[laumulin2008kazakhstan]"
      " not carried by bibtex: section" in lines, f"github: properties escaped {lines}")
check(any(x.startswith("::notice file=") and ",line=67," in x for x in lines),
      "github: a line number")
rc, err = run("convert", article, "x.bib", "--allow-loss", "100%\nsure",
              "--diagnostics-format=github")
# '%' is escaped; a line feed (shown as \x0A like any control byte) never ends the command
check(rc == 2 and err.startswith("::error title=crosswalk usage::") and "100%25\\x0Asure" in err
      and err.count("\n") == 1, f"github: message escaped {err!r}")
rc, err = run("convert", article, "x.bib", "--diagnostics-format=xml")
check(rc == 2 and "text, json or github" in err, f"an unknown diagnostics format ({rc}: {err})")

# --- one list of codes: the header, the user guide's table, the schema -----------
import re
header = open(os.path.join(src, "core", "include", "crosswalk", "diag.h"), encoding="utf-8").read()
from_header = re.findall(r'^\s+X\([A-Z_]+, "([a-z-]*)"', header, re.M)
from_header = [c for c in from_header if c]
guide = open(os.path.join(src, "docs", "user-guide.md"), encoding="utf-8").read()
table = guide.split("### Codes", 1)[1].split("\n#", 1)[0]
from_guide = re.findall(r"^\| `([a-z-]+)` \|", table, re.M)
check(from_header == from_guide, f"the guide's codes are the header's: {from_guide} {from_header}")
check(schema["$defs"]["code"]["enum"] == from_header, "the schema's codes are the header's")

sys.exit(finish())
