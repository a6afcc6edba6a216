#!/usr/bin/python3
"""examples/ci/ works as its README says, on twenty corpus articles.

usage: ci_example.py CROSSWALK SOURCE_DIR

A copy of the example's crosswalk.yaml, with twenty JATS articles of the
shared corpus in articles/:
  1. the first run writes citations/ (every article, every format);
  2. the baseline is recorded with --report;
  3. CI's command (--strict --allow-loss-from the baseline --check) exits 0
     and changes nothing;
  4. a changed article makes it exit 1, naming the stale files (with --diff,
     the change); regenerating makes it 0 again;
  5. a new loss (an article gains funding or counts that no article had
     and BibTeX cannot carry) makes it fail, naming the loss.
Also: the workflow installs with apt-get update first and runs the
README's commands; the shipped baseline is current for the shipped article
(when this fails after a change to what a writer carries, record it again:
cd examples/ci && crosswalk batch --report accepted-losses.json crosswalk.yaml).
Exits 77 (skipped) without the corpus.
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

FAILED = []
SKIP = 77


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        FAILED.append(what)


def snapshot(root):
    out = {}
    for dirpath, _, names in os.walk(root):
        for n in names:
            p = os.path.join(dirpath, n)
            st = os.stat(p)
            out[os.path.relpath(p, root)] = (st.st_ino, st.st_mtime_ns, st.st_size)
    return out


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    cw, src = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    example = os.path.join(src, "examples", "ci")
    corpus = os.environ.get("CW_CORPUS_DIR") or os.path.join(src, "..", "shared", "corpus")
    articles = sorted(glob.glob(os.path.join(corpus, "jats", "*", "*.xml")))
    if len(articles) < 20:
        print(f"skipped: fewer than 20 JATS articles in {corpus}")
        return SKIP
    # twenty articles, from as many publishers as there are (the corpus also
    # holds fragments and broken files on purpose: only whole articles)
    by_dir = {}
    for a in articles:
        if subprocess.run([cw, "convert", "-q", "-f", "jats", a, "-t", "csljson", "-"],
                          capture_output=True).returncode == 0:
            by_dir.setdefault(os.path.dirname(a), []).append(a)
    if sum(len(v) for v in by_dir.values()) < 20:
        print(f"skipped: fewer than 20 whole JATS articles in {corpus}")
        return SKIP
    chosen = []
    while len(chosen) < 20:
        for d in sorted(by_dir):
            if by_dir[d] and len(chosen) < 20:
                chosen.append(by_dir[d].pop(0))

    def run(*args, cwd):
        return subprocess.run([cw] + list(args), cwd=cwd, capture_output=True, text=True)

    ci_cmd = ["batch", "--strict", "--allow-loss-from", "accepted-losses.json", "--check",
              "crosswalk.yaml"]
    with tempfile.TemporaryDirectory(prefix="cw-ci-example-") as tmp:
        journal = os.path.join(tmp, "journal")
        os.makedirs(os.path.join(journal, "articles"))
        shutil.copy(os.path.join(example, "crosswalk.yaml"), journal)
        for i, a in enumerate(chosen):
            shutil.copy(a, os.path.join(journal, "articles", f"{i:02d}-{os.path.basename(a)}"))

        p = run("batch", "crosswalk.yaml", cwd=journal)
        written = snapshot(os.path.join(journal, "citations")) \
            if os.path.isdir(os.path.join(journal, "citations")) else {}
        check(p.returncode in (0, 1) and len(written) == 20 * 4,
              f"1. the first run writes 4 files per article ({len(written)}, exit {p.returncode})")

        p = run("batch", "--report", "accepted-losses.json", "crosswalk.yaml", cwd=journal)
        check(p.returncode in (0, 1) and os.path.exists(os.path.join(journal, "accepted-losses.json")),
              f"2. the baseline is recorded ({p.returncode})")
        before = snapshot(os.path.join(journal, "citations"))

        p = run(*ci_cmd, cwd=journal)
        check(p.returncode == 0, f"3. CI's command passes on current files ({p.returncode}: "
              f"{p.stderr[-400:]})")
        check(snapshot(os.path.join(journal, "citations")) == before and
              not [n for n in os.listdir(journal) if n.startswith(".")],
              "3. ... and writes nothing")

        art = os.path.join(journal, "articles", sorted(os.listdir(os.path.join(
            journal, "articles")))[3])
        stem = os.path.basename(art)[:-4]
        with open(art, encoding="utf-8") as f:
            text = f.read()
        changed = text.replace("<article-title>", "<article-title>Revised: ", 1)
        check(changed != text, "4. (an article title to change)")
        with open(art, "w", encoding="utf-8") as f:
            f.write(changed)
        p = run(*ci_cmd, "--diff", cwd=journal)
        check(p.returncode == 1 and f"citations/{stem}.bib would change" in p.stderr and
              "+  title = {Revised: " in p.stdout,
              f"4. a changed article: exit 1, the stale files named, the change shown "
              f"({p.returncode}: {p.stderr[-300:]})")
        p = run("batch", "--strict", "--allow-loss-from", "accepted-losses.json",
                "crosswalk.yaml", cwd=journal)
        p2 = run(*ci_cmd, cwd=journal)
        check(p.returncode == 0 and p2.returncode == 0,
              f"4. regenerated, CI passes again ({p.returncode}, {p2.returncode})")

        # a new loss: an article gains something no article had, that BibTeX
        # cannot carry (the baseline accepts a writer's field for every record)
        with open(os.path.join(journal, "accepted-losses.json"), encoding="utf-8") as f:
            base = json.load(f)
        accepted = {(d["plugin"], d["field"]) for fr in base["files"] if fr["report"]
                    for d in fr["report"]["diagnostics"] if d["kind"] == "not-carried"}
        candidates = [
            ("funding", "<funding-group><award-group><funding-source>A Research Council"
             "</funding-source><award-id>RC-1</award-id></award-group></funding-group>"),
            ("jats:count:fig-count", "<counts><fig-count count=\"3\"/></counts>"),
            ("jats:count:equation-count", "<counts><equation-count count=\"3\"/></counts>"),
            ("jats:count:word-count", "<counts><word-count count=\"3000\"/></counts>"),
        ]
        new = [(field, xml) for field, xml in candidates if ("bibtex", field) not in accepted]
        check(bool(new), "5. (a loss the baseline does not list)")
        target = None
        for name in sorted(os.listdir(os.path.join(journal, "articles"))):
            path = os.path.join(journal, "articles", name)
            with open(path, encoding="utf-8") as f:
                t = f.read()
            if "</article-meta>" in t and "<counts" not in t and "<funding-group" not in t:
                target, text = path, t
                break
        check(target is not None, "5. (an article to add it to)")
        if target and new:
            field, xml = new[0]
            with open(target, "w", encoding="utf-8") as f:
                f.write(text.replace("</article-meta>", xml + "</article-meta>", 1))
            p = run("batch", "--strict", "--allow-loss-from", "accepted-losses.json",
                    "crosswalk.yaml", cwd=journal)
            check(p.returncode == 5 and f"not carried by bibtex: " in p.stderr and
                  field.split(":")[-1] in p.stderr,
                  f"5. a new loss ({field}) fails the run and is named ({p.returncode}: "
                  f"{p.stderr[-300:]})")

        # the shipped example: its baseline is current for its article
        shipped = os.path.join(tmp, "shipped")
        os.makedirs(os.path.join(shipped, "articles"))
        for n in ("crosswalk.yaml", "accepted-losses.json"):
            shutil.copy(os.path.join(example, n), shipped)
        shutil.copy(os.path.join(src, "examples", "article.xml"),
                    os.path.join(shipped, "articles"))
        p = run("batch", "--strict", "--allow-loss-from", "accepted-losses.json",
                "crosswalk.yaml", cwd=shipped)
        check(p.returncode == 0,
              "examples/ci/accepted-losses.json is current (else record it again: cd "
              "examples/ci && crosswalk batch --report accepted-losses.json crosswalk.yaml)"
              f" ({p.returncode}: {p.stderr[-300:]})")

    with open(os.path.join(example, "github-actions.yml"), encoding="utf-8") as f:
        wf = f.read()
    check(0 <= wf.find("apt-get update") < wf.find("apt-get install"),
          "the workflow runs apt-get update before apt-get install")
    flat = " ".join(wf.split())
    check("crosswalk batch --strict --allow-loss-from accepted-losses.json --check" in flat,
          "the workflow runs the README's CI command")
    if FAILED:
        print(f"{len(FAILED)} failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
