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
Also, without the corpus too: the shipped directory is a journal's
repository after its setup: in a copy of examples/ci (links followed), the
README's CI command exits 0 and writes nothing, so its citations/ and
accepted-losses.json are what this crosswalk makes of the example article
(the message says how to regenerate them), and its .gitignore keeps out
nothing the README says to commit. The workflow installs with apt-get
update first, builds crosswalk from the CROSSWALK_GIT and CROSSWALK_REF it
sets at its top, runs the README's CI command, and on a push commits and
pushes the regenerated citations/ when they changed (with permission to)
and keeps the report.
Exits 77 (skipped) without the corpus, when the rest passed.
"""
import fnmatch
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


REGENERATE = ("regenerate them: cd examples/ci && ../../build/crosswalk batch crosswalk.yaml && "
              "../../build/crosswalk batch --report accepted-losses.json crosswalk.yaml")


def readme_commands(example):
    """The commands of the README's indented blocks, comments dropped."""
    with open(os.path.join(example, "README.md"), encoding="utf-8") as f:
        return [line.split("#")[0].strip() for line in f
                if line.startswith("    ") and line.strip()]


def check_shipped(cw, example):
    """examples/ci as shipped: the README's CI command passes in a copy."""
    commands = readme_commands(example)
    ci = [c for c in commands if c.startswith("crosswalk batch --strict")]
    check(len(ci) == 1, f"the README names one CI command ({ci})")
    with open(os.path.join(example, ".gitignore"), encoding="utf-8") as f:
        patterns = [p.strip().rstrip("/") for p in f if p.strip() and not p.startswith("#")]
    committed = [path for c in commands if c.startswith("git add ") for path in c.split()[2:]]
    ignored = [path for path in committed for p in patterns if fnmatch.fnmatch(path, p)]
    check(bool(committed) and not ignored,
          f"examples/ci/.gitignore ignores nothing the README commits ({committed}: {ignored})")
    # the shipped baseline is a batch report as this crosswalk writes them
    import jsonschema
    docs = os.path.join(example, "..", "..", "docs")
    schemas = {n: json.load(open(os.path.join(docs, n), encoding="utf-8"))
               for n in ("report.schema.json", "batch-report.schema.json")}
    resolver = jsonschema.RefResolver.from_schema(
        schemas["batch-report.schema.json"], store={s["$id"]: s for s in schemas.values()})
    with open(os.path.join(example, "accepted-losses.json"), encoding="utf-8") as f:
        errors = list(jsonschema.Draft202012Validator(
            schemas["batch-report.schema.json"], resolver=resolver).iter_errors(json.load(f)))
    check(not errors, "examples/ci/accepted-losses.json is valid against "
          f"docs/batch-report.schema.json{': ' + errors[0].message[:200] if errors else ''}; "
          f"when it is not, {REGENERATE}")
    with tempfile.TemporaryDirectory(prefix="cw-ci-shipped-") as tmp:
        shipped = os.path.join(tmp, "journal")
        # articles/article.xml is a link to examples/article.xml: copied as a file
        shutil.copytree(example, shipped)
        before = snapshot(shipped)
        if ci:
            p = subprocess.run([cw] + ci[0].split()[1:], cwd=shipped, capture_output=True,
                               text=True)
            check(p.returncode == 0 and snapshot(shipped) == before,
                  f"the README's CI command passes in a copy of examples/ci and writes nothing "
                  f"(exit {p.returncode}" + (f": {p.stderr[-400:]}); when citations/ or "
                                             f"accepted-losses.json are out of date, {REGENERATE}"
                                             if p.returncode else ")"))


def check_workflow(example):
    """github-actions.yml: how it installs crosswalk, what it runs and commits."""
    with open(os.path.join(example, "github-actions.yml"), encoding="utf-8") as f:
        wf = f.read()
    check(0 <= wf.find("apt-get update") < wf.find("apt-get install"),
          "the workflow runs apt-get update before apt-get install")
    flat = " ".join(wf.split())
    check("crosswalk batch --strict --allow-loss-from accepted-losses.json --check" in flat,
          "the workflow runs the README's CI command")
    check("example.org" not in wf, "the workflow clones from no placeholder host")
    try:
        import yaml
    except ImportError:
        check(False, "python3-yaml is installed, to read the workflow")
        return
    doc = yaml.safe_load(wf)
    env = doc.get("env") or {}
    check(bool(env.get("CROSSWALK_GIT") and env.get("CROSSWALK_REF")),
          "the workflow sets CROSSWALK_GIT and CROSSWALK_REF at its top")
    job = doc["jobs"]["citations"]
    check((job.get("permissions") or {}).get("contents") == "write",
          "the job may push (permissions: contents: write)")
    steps = job["steps"]
    runs = [(s.get("if", ""), " ".join(s.get("run", "").split())) for s in steps]
    install = [r for _, r in runs if "cmake --install" in r]
    check(bool(install) and '"$CROSSWALK_GIT" "$CROSSWALK_REF"' in install[0],
          "crosswalk is built from $CROSSWALK_GIT at $CROSSWALK_REF")
    regen = [i for i, (cond, r) in enumerate(runs)
             if "push" in cond and r.startswith("crosswalk batch") and "--check" not in r]
    commit = [i for i, (cond, r) in enumerate(runs)
              if "push" in cond and "git add -A citations" in r and
              "git diff --cached --quiet" in r and "git commit" in r and "git push" in r]
    check(bool(regen and commit) and regen[0] < commit[0],
          "on a push, the regenerated citations/ are committed and pushed when they changed")
    upload = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact")]
    check(bool(upload) and upload[0].get("if") == "always()" and
          upload[0].get("with", {}).get("path") == "crosswalk-report.json",
          "every run keeps the report as an artifact")


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    cw, src = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    example = os.path.join(src, "examples", "ci")
    check_shipped(cw, example)
    check_workflow(example)
    corpus = os.environ.get("CW_CORPUS_DIR") or os.path.join(src, "..", "shared", "corpus")
    articles = sorted(glob.glob(os.path.join(corpus, "jats", "*", "*.xml")))
    if len(articles) < 20:
        print(f"skipped: fewer than 20 JATS articles in {corpus}")
        return 1 if FAILED else SKIP
    # twenty articles, from as many publishers as there are (the corpus also
    # holds fragments and broken files on purpose: only whole articles)
    by_dir = {}
    for a in articles:
        if subprocess.run([cw, "convert", "-q", "-f", "jats", a, "-t", "csljson", "-"],
                          capture_output=True).returncode == 0:
            by_dir.setdefault(os.path.dirname(a), []).append(a)
    if sum(len(v) for v in by_dir.values()) < 20:
        print(f"skipped: fewer than 20 whole JATS articles in {corpus}")
        return 1 if FAILED else SKIP
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
            check(p.returncode == 5 and "not carried by bibtex: " in p.stderr and
                  field.split(":")[-1] in p.stderr,
                  f"5. a new loss ({field}) fails the run and is named ({p.returncode}: "
                  f"{p.stderr[-300:]})")

    if FAILED:
        print(f"{len(FAILED)} failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
