#!/usr/bin/python3
"""crosswalk batch: a batch file's jobs over real articles and bibliographies.

usage: test_batch.py CROSSWALK SOURCE_DIR

- -j 1 and -j 2 write the same output files, print the same diagnostics in
  the same order and give the same combined report;
- the exit status is the highest of the conversions', a broken input fails
  alone, output directories are made ({reldir} mirrors the input tree);
- batch file mistakes are located errors (exit 2), in every diagnostics
  format, printed once, and nothing is written; an unknown filter, option or
  accepted loss and an input directory with no file are such mistakes; two
  conversions writing one file are refused before any runs; the report is
  written all the same, valid against its schema, with the message;
- the batch file's allow-loss accepts; under --strict a loss is an error of
  its file only; under --check the table counts the files that would change;
  with --diagnostics-format json standard error is JSON Lines only;
- --dry-run lists and writes nothing; SIGTERM reaches the conversions and
  leaves no temporary file; on a terminal a progress line is shown.
Uses the shared corpus when it is there, the repository's examples always.
"""
import filecmp
import glob
import json
import jsonschema
import os
import pty
import shutil
import signal
import subprocess
import sys
import tempfile
import time

FAILED = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        FAILED.append(what)


def run(cw, args, cwd, env=None):
    return subprocess.run([cw] + args, cwd=cwd, capture_output=True, text=True, env=env)


def tree(root):
    out = {}
    for dirpath, _, names in os.walk(root):
        for n in names:
            p = os.path.join(dirpath, n)
            out[os.path.relpath(p, root)] = p
    return out


BATCH = """\
# two jobs: articles to BibTeX and CSL-JSON, mirrored by directory;
# bibliographies to CSL-JSON
jobs:
  - name: articles
    inputs: [in/articles]
    outputs:
      - "out/{reldir}/{stem}.bib"
      - path: "out/{reldir}/{stem}.{ext}"
        format: csljson
  - name: bibliographies
    inputs: "in/bib/*.bib"
    outputs: "out/bib/{stem}.json"
"""


def make_inputs(src, root):
    arts = os.path.join(root, "in", "articles")
    os.makedirs(os.path.join(arts, "sub"))
    os.makedirs(os.path.join(root, "in", "bib"))
    shutil.copy(os.path.join(src, "examples", "article.xml"), arts)
    shutil.copy(os.path.join(src, "examples", "article.dc.xml"), os.path.join(arts, "sub"))
    # an extension in capitals is the format's, as for convert
    shutil.copy(os.path.join(src, "examples", "article.xml"), os.path.join(arts, "sub", "LOUD.XML"))
    shutil.copy(os.path.join(src, "examples", "article.bib"), os.path.join(root, "in", "bib"))
    corpus = os.environ.get("CW_CORPUS_DIR") or os.path.join(src, "..", "shared", "corpus")
    jats = sorted(glob.glob(os.path.join(corpus, "jats", "*", "*.xml")))[:30]
    for i, f in enumerate(jats):
        shutil.copy(f, os.path.join(arts, "sub" if i % 2 else "", f"c{i}-" + os.path.basename(f)))
    bibs = sorted(glob.glob(os.path.join(corpus, "bibtex", "*", "*.bib")))[:10]
    for i, f in enumerate(bibs):
        shutil.copy(f, os.path.join(root, "in", "bib", f"b{i}-" + os.path.basename(f)))
    # one broken article: it fails alone
    with open(os.path.join(arts, "broken.xml"), "w", encoding="utf-8") as f:
        f.write("<article><front><article-meta><title-group>")
    return len(jats) + len(bibs) + 5


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    cw, src = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    with tempfile.TemporaryDirectory(prefix="cw-batch-") as tmp:
        inputs = os.path.join(tmp, "inputs")
        os.mkdir(inputs)
        nfiles = make_inputs(src, inputs)
        results = {}
        for j in ("1", "2"):
            d = os.path.join(tmp, "j" + j)
            os.mkdir(d)
            os.symlink(os.path.join(inputs, "in"), os.path.join(d, "in"))
            with open(os.path.join(d, "crosswalk.yaml"), "w", encoding="utf-8") as f:
                f.write(BATCH)
            p = run(cw, ["batch", "-j", j, "--report", "report.json", "crosswalk.yaml"], d)
            results[j] = (d, p)
        d1, p1 = results["1"]
        d2, p2 = results["2"]
        r1 = json.load(open(os.path.join(d1, "report.json"), encoding="utf-8"))
        r2 = json.load(open(os.path.join(d2, "report.json"), encoding="utf-8"))
        exits = [f["exit"] for f in r1["files"]]
        check(p1.returncode == max(exits) >= 3,
              f"exit status is the highest of the files' ({p1.returncode}, {max(exits)})")
        check(p2.returncode == p1.returncode, "-j 2 exits as -j 1")
        t1, t2 = tree(os.path.join(d1, "out")), tree(os.path.join(d2, "out"))
        made = all(os.path.exists(os.path.join(d1, o)) == (f["exit"] <= 1)
                   for f in r1["files"] for o in f["outputs"])
        check(made and len(t1) >= nfiles,
              f"the outputs of every file that converted, none of those that failed ({len(t1)})")
        check("sub/LOUD.bib" in t1 and "sub/LOUD.json" in t1,
              "a directory's files are found by their extension in any case (LOUD.XML)")
        check("sub/article.bib" in t1 and "article.bib" in t1 and "bib/article.json" in t1,
              "{reldir} mirrors the input tree, {stem} drops a compound extension "
              "(article.dc.xml), directories are made")
        check(sorted(t1) == sorted(t2) and all(filecmp.cmp(t1[k], t2[k], shallow=False)
                                               for k in t1),
              "-j 1 and -j 2 write the same bytes")

        def body(text):
            return [ln for ln in text.splitlines() if "crosswalk: batch:" not in ln]
        check(body(p1.stderr) == body(p2.stderr), "-j 1 and -j 2 print the same, in order")
        aff = [ln for ln in p1.stderr.splitlines() if "not carried by bibtex: affiliations" in ln]
        check(len(aff) == 1 and " files)" in aff[0],
              f"one loss summary for the whole batch, not one per file: {aff}")
        check("broken.xml" in p1.stderr and "failed" in p1.stderr, "the broken file is named")
        check(r1["files"] == r2["files"] and r1["summary"] == r2["summary"],
              "-j 1 and -j 2 give the same combined report")
        broken = [f for f in r1["files"] if f["input"].endswith("broken.xml")]
        check(len(r1["files"]) == nfiles and r1["summary"]["exit"] == p1.returncode and
              broken and broken[0]["exit"] == 3 and r1["summary"]["files_failed"] >= 1,
              f"the report has every file, the exit status and the failure: {r1['summary']}")
        # the combined report is valid against docs/batch-report.schema.json,
        # each file's own report against docs/report.schema.json
        rep_schema = json.load(open(os.path.join(src, "docs", "report.schema.json"),
                                    encoding="utf-8"))
        bat_schema = json.load(open(os.path.join(src, "docs", "batch-report.schema.json"),
                                    encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(bat_schema)
        resolver = jsonschema.RefResolver.from_schema(
            bat_schema, store={rep_schema["$id"]: rep_schema, bat_schema["$id"]: bat_schema})
        errors = list(jsonschema.Draft202012Validator(bat_schema, resolver=resolver)
                      .iter_errors(r1))
        check(not errors, "the combined report is valid against its schema" +
              (f": {errors[0].message[:300]}" if errors else ""))
        ok = [f for f in r1["files"] if f["exit"] == 0]
        check(ok and all(f["report"] and f["report"]["summary"]["records_read"] >= 1 for f in ok),
              "each file's own report is inside")

        # --strict fails on losses; the batch report as a baseline of
        # accepted losses (allow-loss-from) lets it pass, a new loss fails it
        base = os.path.join(tmp, "base")
        os.mkdir(base)
        os.makedirs(os.path.join(base, "in"))
        shutil.copy(os.path.join(src, "examples", "article.xml"), os.path.join(base, "in"))
        with open(os.path.join(base, "crosswalk.yaml"), "w", encoding="utf-8") as f:
            f.write("jobs:\n  - inputs: in\n    outputs: out/{stem}.bib\n")
        p = run(cw, ["batch", "--strict", "crosswalk.yaml"], base)
        check(p.returncode == 5, f"--strict fails on what BibTeX cannot carry ({p.returncode})")
        p = run(cw, ["batch", "--report", "baseline.json", "crosswalk.yaml"], base)
        with open(os.path.join(base, "crosswalk.yaml"), "a", encoding="utf-8") as f:
            f.write("    allow-loss-from: baseline.json\n")
        p = run(cw, ["batch", "--strict", "crosswalk.yaml"], base)
        check(p.returncode == 0 and "not carried" not in p.stderr,
              f"a batch report is a baseline of accepted losses ({p.returncode})")
        p = run(cw, ["batch", "-v", "--strict", "crosswalk.yaml"], base)
        check(p.returncode == 0 and "not carried by bibtex" in p.stderr,
              f"-v shows the accepted losses ({p.returncode})")
        art = os.path.join(base, "in", "article.xml")
        with open(art, encoding="utf-8") as f:
            text = f.read()
        with open(art, "w", encoding="utf-8") as f:
            f.write(text.replace("</article-meta>", "<counts><fig-count count=\"3\"/></counts>"
                                 "</article-meta>", 1))
        p = run(cw, ["batch", "--strict", "crosswalk.yaml"], base)
        check(p.returncode == 5 and "fig-count" in p.stderr,
              f"a new loss fails the run ({p.returncode})")
        check(not [ln for ln in p.stderr.splitlines() if "warning" in ln and "fig-count" in ln],
              "under --strict a loss is an error of its file, not a warning of the batch too")
        with open(os.path.join(base, "crosswalk.yaml"), "a", encoding="utf-8") as f:
            f.write("    allow-loss: [\"bibtex:jats:count:fig-count\"]\n")
        p = run(cw, ["batch", "--strict", "crosswalk.yaml"], base)
        check(p.returncode == 0, f"the batch file's allow-loss accepts a loss ({p.returncode})")
        with open(art, encoding="utf-8") as f:
            text = f.read()
        with open(art, "w", encoding="utf-8") as f:
            f.write(text.replace("<article-title>", "<article-title>Revised: ", 1))
        p = run(cw, ["batch", "--check", "crosswalk.yaml"], base)
        head = [ln.split() for ln in p.stderr.splitlines() if ln.strip().startswith("job ")]
        check(p.returncode == 1 and len(head) == 2 and head[0][3] == "changed" and
              head[1][2:6] == ["1", "0", "1", "0"],
              f"under --check the table counts outputs that would change: {head}")
        p = run(cw, ["batch", "crosswalk.yaml"], base)
        check(f"(-j {os.sysconf('SC_NPROCESSORS_ONLN')})" in p.stderr,
              "-j is the number of cores by default")
        p = run(cw, ["batch", "--check", "crosswalk.yaml"], base)
        check(p.returncode == 0, f"--check after a run: current ({p.returncode})")

        # mistakes in the batch file
        bad = os.path.join(tmp, "bad")
        os.mkdir(bad)
        os.symlink(os.path.join(inputs, "in"), os.path.join(bad, "in"))
        cases = [
            ("jobs:\n  - inputs: in/bib\n    feilds: x\n    outputs: o/{stem}.json\n",
             "crosswalk.yaml:3:5: error: unknown key in a job"),
            ("jobs:\n  - inputs: in/bib\n    outputs: o/{stm}.json\n",
             "crosswalk.yaml:3:14: error: unknown '{stm}'"),
            ("jobs:\n  - inputs: in/bib\n    outputs:\n      - path: o/x.{ext}\n"
             "        format: bibtx\n", "crosswalk.yaml:5:17: error: unknown format 'bibtx'"),
            ("jobs:\n  - inputs: in/bib\n    outputs: o/same.json\n",
             "is written by another conversion too"),
            ("job:\n  - inputs: in/bib\n", "crosswalk.yaml:1:1: error: unknown key at the top"),
            ("jobs:\n  - inputs: [in/bib\n", "crosswalk.yaml:"),
            ("jobs:\n  - inputs: nowhere\n    outputs: o/{stem}.json\n", "nowhere: no such file"),
            # what convert would refuse per file is refused once, located
            ("jobs:\n  - inputs: in/bib\n    outputs: o/{stem}.json\n"
             "    allow-loss: [affiliations, affiliation]\n",
             "crosswalk.yaml:4:32: error: --allow-loss: unknown field 'affiliation'"),
            ("jobs:\n  - inputs: in/bib\n    outputs: o/{stem}.json\n    filters: [refrences]\n",
             "crosswalk.yaml:4:15: error: unknown filter (see 'crosswalk formats'): 'refrences'"),
            ("jobs:\n  - inputs: in/bib\n    outputs: o/{stem}.json\n"
             "    options: {csljson.compact: true, compcat: true}\n",
             "crosswalk.yaml:4:38: error: no format or filter declares the option"),
            # the batch file's nesting is bounded
            ("jobs:\n  - inputs: in/bib\n    outputs: o/{stem}.json\n    options: " +
             "[" * 40 + "]" * 40 + "\n", "nested too deeply"),
            # an empty or misnamed input directory is no success in CI
            ("jobs:\n  - inputs: empty\n    outputs: o/{stem}.json\n",
             "job 'job 1': its inputs are no file of a known input format"),
        ]
        os.mkdir(os.path.join(bad, "empty"))
        for text, want in cases:
            with open(os.path.join(bad, "crosswalk.yaml"), "w", encoding="utf-8") as f:
                f.write(text)
            p = run(cw, ["batch", "--report", "r.json", "crosswalk.yaml"], bad)
            check(p.returncode == 2 and p.stderr.count(want) == 1 and not os.path.exists(
                os.path.join(bad, "o")), f"refused once: {want!r} ({p.returncode}: {p.stderr.strip()[:160]})")
            # the report is written however early the batch stops
            try:
                rep = json.load(open(os.path.join(bad, "r.json"), encoding="utf-8"))
                errors = list(jsonschema.Draft202012Validator(bat_schema, resolver=resolver)
                              .iter_errors(rep))
            except (OSError, ValueError) as e:
                rep, errors = None, [e]
            check(rep is not None and not errors and rep["summary"]["exit"] == 2 and
                  not rep["files"] and any(
                      want.split("error: ")[-1] in (f"{d['file']}:{d['line']}:{d['column']}: "
                                                    if d["file"] else "") + d["message"] and
                      d["code"] == "usage" for d in rep["diagnostics"]),
                  f"the report of a batch refused ({want[:40]!r}) has its message: "
                  f"{errors[:1] or (rep or {}).get('diagnostics')}")
            if os.path.exists(os.path.join(bad, "r.json")):
                os.remove(os.path.join(bad, "r.json"))
        # located errors carry their place in every diagnostics format
        with open(os.path.join(bad, "crosswalk.yaml"), "w", encoding="utf-8") as f:
            f.write(cases[0][0])
        p = run(cw, ["batch", "--diagnostics-format", "github", "crosswalk.yaml"], bad)
        check("::error file=crosswalk.yaml,line=3,col=5,title=crosswalk usage::unknown key"
              in p.stderr, f"a batch file error as a located workflow command: {p.stderr[:200]}")
        p = run(cw, ["batch", "--diagnostics-format", "json", "crosswalk.yaml"], bad)
        lines = [json.loads(ln) for ln in p.stderr.splitlines()]
        check(len(lines) == 1 and (lines[0]["file"], lines[0]["line"], lines[0]["column"]) ==
              ("crosswalk.yaml", 3, 5), f"a batch file error as located JSON: {lines}")
        p = run(cw, ["batch", "--report", "r.json", "missing.yaml"], bad)
        rep = json.load(open(os.path.join(bad, "r.json"), encoding="utf-8")) \
            if os.path.exists(os.path.join(bad, "r.json")) else {}
        check(p.returncode == 2 and rep.get("summary", {}).get("exit") == 2 and
              "missing.yaml: cannot open the batch file" in rep["diagnostics"][0]["message"],
              f"a missing batch file: the report says so ({p.returncode})")
        p = run(cw, ["batch", "--report", "crosswalk.yaml", "crosswalk.yaml"], bad)
        check(p.returncode == 2 and "would replace the batch file" in p.stderr and
              open(os.path.join(bad, "crosswalk.yaml"), encoding="utf-8").read() == cases[0][0],
              "a report named as the batch file is refused, the file kept")

        # --diagnostics-format json: standard error is JSON Lines only (no table)
        p = run(cw, ["batch", "-j", "2", "--diagnostics-format", "json", "crosswalk.yaml"], d1)
        bad_lines = []
        for ln in p.stderr.splitlines():
            try:
                json.loads(ln)
            except ValueError:
                bad_lines.append(ln)
        check(p.stderr and not bad_lines, f"JSON Lines on standard error: {bad_lines[:3]}")

        # --dry-run
        p = run(cw, ["batch", "--dry-run", "crosswalk.yaml"], d1)
        check(p.returncode == 0 and "articles: in/articles/article.xml -> " in p.stdout,
              "--dry-run lists the conversions")
        dry = os.path.join(tmp, "dry")
        os.mkdir(dry)
        os.symlink(os.path.join(inputs, "in"), os.path.join(dry, "in"))
        shutil.copy(os.path.join(d1, "crosswalk.yaml"), dry)
        p = run(cw, ["batch", "-n", "crosswalk.yaml"], dry)
        check(not os.path.exists(os.path.join(dry, "out")), "--dry-run writes nothing")

        # SIGTERM, SIGINT, SIGHUP: the conversions get it, no temporary file stays
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            sig = os.path.join(tmp, "sig-" + signal.Signals(signum).name)
            os.makedirs(os.path.join(sig, "tmp"))
            fifo = os.path.join(sig, "slow.bib")
            os.mkfifo(fifo)
            with open(os.path.join(sig, "crosswalk.yaml"), "w", encoding="utf-8") as f:
                f.write("jobs:\n  - inputs: slow.bib\n    outputs: out/{stem}.json\n")
            env = dict(os.environ, TMPDIR=os.path.join(sig, "tmp"))
            proc = subprocess.Popen([cw, "batch", "--report", "r.json", "crosswalk.yaml"],
                                    cwd=sig, env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE)
            for _ in range(100):  # the conversion is running once it opened the fifo
                time.sleep(0.05)
                if os.listdir(os.path.join(sig, "tmp")):
                    break
            time.sleep(0.2)
            proc.send_signal(signum)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            out = os.path.join(sig, "out")
            leftovers = os.listdir(os.path.join(sig, "tmp")) + (
                [n for n in os.listdir(out) if n.startswith(".")] if os.path.isdir(out) else []) + [
                n for n in os.listdir(sig) if n.startswith(".")]
            name = signal.Signals(signum).name
            check(proc.returncode == -signum, f"{name} ends the batch by {name} ({proc.returncode})")
            check(not leftovers, f"{name}: no temporary file left ({leftovers})")

        # a run killed without a chance to clean up (SIGKILL) leaves its
        # temporary; a batch, and convert -d, sweep an output directory once
        # for all their files (not once per file) and remove it
        kd = os.path.join(tmp, "killed")
        os.makedirs(os.path.join(kd, "in"))
        os.makedirs(os.path.join(kd, "out"))
        shutil.copy(os.path.join(src, "examples", "article.xml"), os.path.join(kd, "in"))
        with open(os.path.join(kd, "crosswalk.yaml"), "w", encoding="utf-8") as f:
            f.write("jobs:\n  - inputs: in\n    outputs: out/{stem}.json\n")
        for how in (["batch", "crosswalk.yaml"], ["convert", "in/article.xml", "-d", "out",
                                                   "-t", "bibtex"]):
            fifo = os.path.join(kd, "slow.bib")
            os.mkfifo(fifo)
            proc = subprocess.Popen([cw, "convert", "slow.bib", "out/slow.json", "--report",
                                     "out/r.json"], cwd=kd, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            left = []
            for _ in range(200):  # its report's temporary is there while it waits
                left = [n for n in os.listdir(os.path.join(kd, "out")) if ".crosswalk-" in n]
                if left:
                    break
                time.sleep(0.05)
            proc.kill()
            proc.wait()
            os.remove(fifo)
            p = run(cw, how, kd)
            now = [n for n in os.listdir(os.path.join(kd, "out")) if ".crosswalk-" in n]
            check(left and not now and p.returncode == 0,
                  f"{how[0]}: the temporary of a killed run is swept ({left} -> {now}, "
                  f"{p.returncode})")

        # a terminal gets a progress line
        master, slave = pty.openpty()
        p = subprocess.Popen([cw, "batch", "-j", "2", "crosswalk.yaml"], cwd=d1,
                             stdin=slave, stdout=slave, stderr=slave)
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        p.wait()
        os.close(master)
        check(b"\r\x1b[Kcrosswalk: " in seen and b" files, " in seen and b"ETA" in seen,
              "a progress line on a terminal")
        check(b"ETA" not in p1.stderr.encode(), "no progress line when stderr is not a terminal")
    if FAILED:
        print(f"{len(FAILED)} failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
