#!/usr/bin/python3
"""Scale-out as docs/scaling.md describes it gives what one run gives.

usage: shards.py CROSSWALK

1. One large JSON Lines file (20,000 records made by gen.py from the shared
   corpus, citation keys made unique) converted in one run, and cut into
   blocks that GNU parallel feeds to one crosswalk process each (--pipe,
   -j 2, output kept in order): the concatenated JSON Lines are byte for
   byte the single run's, and so are the BibTeX entries (a shard's output
   ends without the blank line that separates entries within one output).
   With repeated keys they would differ: keys are unique per output.
2. Many files, one process per file, with the command docs/scaling.md
   gives (`parallel -j N --halt ... crosswalk convert -q {} -o out/{/.}.bib
   ::: articles/*.xml`): every JATS article of the corpus (jats/<source>/,
   .xml and .nxml, not jats/schema) with --halt now,fail=1, exit 0; every
   BibTeX file, and two broken ones, with --halt never, whose exit status
   is the number of failed conversions (2). With -j 2 the outputs are
   the same bytes as converting the files one after another.

Exits 77 (skipped) without the corpus or without GNU parallel.
"""
import filecmp
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen  # noqa: E402

RECORDS = 20000
SKIP = 77


def run(args, **kw):
    return subprocess.run(args, check=True, **kw)


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    cw = os.path.abspath(argv[1])
    parallel = shutil.which("parallel")
    if not parallel or b"GNU parallel" not in subprocess.run(
            [parallel, "--version"], capture_output=True).stdout:
        print("skipped: GNU parallel is not installed (tools/install-deps installs it)")
        return SKIP
    corpus = gen.corpus_dir()
    if not os.path.isdir(corpus):
        print(f"skipped: no corpus at {corpus}")
        return SKIP
    failed = []
    with tempfile.TemporaryDirectory(prefix="cw-shards-") as tmp:
        pooled = os.path.join(tmp, "pooled.jsonl")
        gen.generate("csljsonl", RECORDS, pooled)
        # the pool repeats records: unique citation keys, as in a real library
        src = os.path.join(tmp, "in.jsonl")
        with open(pooled, encoding="utf-8") as fin, open(src, "w", encoding="utf-8") as fout:
            for i, line in enumerate(fin):
                rec = json.loads(line)
                if "citation-key" in rec:
                    rec["citation-key"] = f"{rec['citation-key']}-{i}"
                fout.write(json.dumps(rec, ensure_ascii=False) + "\n")
        # 1. one stream cut into blocks, one process per block
        for fmt in ("csljsonl", "bibtex"):
            single = os.path.join(tmp, "single." + fmt)
            sharded = os.path.join(tmp, "sharded." + fmt)
            run([cw, "convert", "-q", "-f", "csljsonl", src, "-t", fmt, "-o", single])
            with open(src, "rb") as fin, open(sharded, "wb") as fout:
                run([parallel, "--pipe", "--keep-order", "--block", "256k", "-j", "2",
                     "--halt", "now,fail=1", cw, "convert", "-q", "-f", "csljsonl", "-", "-t",
                     fmt, "-"], stdin=fin, stdout=fout)
            blocks = os.path.getsize(src) // (256 << 10)
            if fmt == "bibtex":
                # a BibTeX document has no wrapper; entries are separated
                # by a blank line within one output, so compare entries
                same = split_entries(single) == split_entries(sharded)
            else:
                same = filecmp.cmp(single, sharded, shallow=False)
            print(f"{RECORDS} records as {fmt}: one run and ~{blocks} blocks with "
                  f"parallel -j 2: {'same' if same else 'DIFFERENT'}")
            if not same:
                failed.append(fmt)
        # 2. many files, one process each, as docs/scaling.md writes it
        jats = gen.corpus_files("jats", ".xml", ".nxml")
        bibs = gen.corpus_files("bibtex", ".bib")
        if not jats or not bibs:
            print(f"FAIL: no JATS articles or no BibTeX files in {corpus}")
            failed.append("corpus")
        else:
            # the corpus's BibTeX files all convert: two that cannot, so that
            # --halt never has failures to count (records skipped: exit 1)
            broken = []
            for i, text in enumerate(("@article{x, title = {unterminated\n",
                                      "@book{a, title={A}, year=2000}\n"
                                      "@article{b, title = {B}, year = 2000,,\n")):
                broken.append(os.path.join(tmp, f"broken-{i}.bib"))
                with open(broken[-1], "w", encoding="utf-8") as f:
                    f.write(text)
            failed += many_files(cw, parallel, tmp, jats, bibs + broken)
    if failed:
        print("FAIL:", " ".join(failed))
        return 1
    return 0


def stage(files, into):
    """Links to FILES in one directory, as a journal's articles/ would hold
    them: the corpus repeats names across its folders, so each gets a number."""
    os.mkdir(into)
    for i, f in enumerate(files):
        os.symlink(f, os.path.join(into, f"{i:04d}-{os.path.basename(f)}"))
    return sorted(os.listdir(into))


def many_files(cw, parallel, tmp, jats, bibs):
    """The recipes of docs/scaling.md for many files: every JATS article with
    --halt now,fail=1 (they all convert: exit 0), and every BibTeX file with
    two broken ones, with --halt never (parallel's exit status is the
    number of failed conversions). The outputs are the bytes of converting
    the same files one after another."""
    failed = []
    for name, files, halt, pattern in (
            ("articles", jats, "now,fail=1", ["articles/*.xml", "articles/*.nxml"]),
            ("bibliographies", bibs, "never", ["bibliographies/*.bib"])):
        names = stage(files, os.path.join(tmp, name))
        serial_dir, par_dir = os.path.join(tmp, name + ".serial"), os.path.join(tmp, "out")
        shutil.rmtree(par_dir, ignore_errors=True)
        os.mkdir(serial_dir)
        os.mkdir(par_dir)   # mkdir -p out
        failures = 0
        for n in names:
            out = os.path.join(serial_dir, os.path.splitext(n)[0] + ".bib")
            failures += subprocess.run([cw, "convert", "-q", os.path.join(tmp, name, n), "-o", out],
                                       stderr=subprocess.DEVNULL).returncode != 0
        # parallel -j 8 --halt ... crosswalk convert -q {} -o out/{/.}.bib ::: articles/*.xml
        args = [f for p in pattern for f in sorted(glob.glob(os.path.join(tmp, p)))]
        p = subprocess.run([parallel, "-j", "2", "--halt", halt, cw, "convert", "-q", "{}",
                            "-o", "out/{/.}.bib", ":::"] + [os.path.relpath(a, tmp) for a in args],
                           cwd=tmp, stderr=subprocess.DEVNULL)
        serial, par = sorted(os.listdir(serial_dir)), sorted(os.listdir(par_dir))
        differ = sorted(set(serial) ^ set(par)) + [
            n for n in serial if n in par and not filecmp.cmp(
                os.path.join(serial_dir, n), os.path.join(par_dir, n), shallow=False)]
        status_ok = p.returncode == min(failures, 101)
        print(f"{len(files)} {name}, one process each ({len(serial)} converted, {failures} "
              f"failed): serial and parallel -j 2 --halt {halt} "
              f"{'same' if not differ else 'DIFFERENT: ' + ' '.join(differ[:10])}; "
              f"parallel's exit status {p.returncode}")
        expect_failures = halt == "never"
        if differ or len(args) != len(files) or not serial or not status_ok or \
                (failures > 0) != expect_failures:
            failed.append(name)
    return failed


def split_entries(path):
    """The entries of a BibTeX file, each without the blank lines around it."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return [e.strip() for e in text.replace("\n@", "\n\n@").split("\n\n") if e.strip()]


if __name__ == "__main__":
    sys.exit(main(sys.argv))
