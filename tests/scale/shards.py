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
2. Many files (every JATS article and BibTeX file of the corpus), converted
   one process per file: with `parallel -j 2` the outputs are the same bytes
   as converting them one after another.

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
        # 2. many files, one process each
        files = sorted(glob.glob(os.path.join(corpus, "jats", "*.xml")) +
                       glob.glob(os.path.join(corpus, "bibtex", "**", "*.bib"), recursive=True))
        serial_dir = os.path.join(tmp, "serial")
        par_dir = os.path.join(tmp, "parallel")
        os.mkdir(serial_dir)
        os.mkdir(par_dir)
        names = []
        for i, f in enumerate(files):
            out = f"{i:04d}.json"
            names.append(out)
            # some corpus files are malformed on purpose: exit 1 and 3 are
            # answers too, and must be the same in both runs
            subprocess.run([cw, "convert", "-q", f, "-t", "csljson", "-o",
                            os.path.join(serial_dir, out)], stderr=subprocess.DEVNULL)
        listing = os.path.join(tmp, "files.txt")
        with open(listing, "w", encoding="utf-8") as lf:
            for i, f in enumerate(files):
                lf.write(f"{f}\t{os.path.join(par_dir, names[i])}\n")
        subprocess.run([parallel, "-j", "2", "--colsep", "\t", "-a", listing, cw, "convert", "-q",
                        "{1}", "-t", "csljson", "-o", "{2}"], stderr=subprocess.DEVNULL)
        differ = [n for n in names
                  if os.path.exists(os.path.join(serial_dir, n)) !=
                  os.path.exists(os.path.join(par_dir, n)) or
                  (os.path.exists(os.path.join(serial_dir, n)) and
                   not filecmp.cmp(os.path.join(serial_dir, n), os.path.join(par_dir, n),
                                   shallow=False))]
        written = len(os.listdir(serial_dir))
        print(f"{len(files)} corpus files, one process each ({written} converted): serial and "
              f"parallel -j 2 {'same' if not differ else 'DIFFERENT: ' + ' '.join(differ[:10])}")
        if differ or written == 0:
            failed.append("files")
    if failed:
        print("FAIL:", " ".join(failed))
        return 1
    return 0


def split_entries(path):
    """The entries of a BibTeX file, each without the blank lines around it."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return [e.strip() for e in text.replace("\n@", "\n\n@").split("\n\n") if e.strip()]


if __name__ == "__main__":
    sys.exit(main(sys.argv))
