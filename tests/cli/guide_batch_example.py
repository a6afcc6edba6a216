#!/usr/bin/python3
"""The "Batch conversion" section of docs/user-guide.md does what it says.

usage: guide_batch_example.py CROSSWALK SOURCE_DIR WORK_DIR

In WORK_DIR, with the example article (examples/article.xml) in articles/:
  1. the section's batch file (the indented block that starts with
     "# crosswalk.yaml"), pasted as it is, runs: every command the section
     names in backquotes (`crosswalk batch ...`: the run, the baseline, the
     strict run against it) exits 0, and the run writes the outputs its
     templates name;
  2. the end of the run is the summary the section shows (its first line's
     shape, the table's columns);
  3. -n lists the conversions and writes nothing;
  4. the section's mistake (an unknown key, `crosswalk.yaml:3:5: unknown key
     in a job ...: 'feilds'`) is that located error, status 2, nothing
     written; so are two jobs writing one file.
"""
import os
import re
import shutil
import subprocess
import sys


def section(src, title):
    with open(os.path.join(src, "docs", "user-guide.md"), encoding="utf-8") as f:
        text = f.read()
    start = text.index("\n## " + title + "\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end >= 0 else len(text)]


def blocks(text):
    """The indented (code) blocks of markdown TEXT, dedented."""
    out, cur = [], []
    for line in text.split("\n"):
        if line.startswith("    ") or (cur and not line.strip()):
            cur.append(line[4:])
        elif cur:
            out.append("\n".join(cur).strip("\n") + "\n")
            cur = []
    if cur:
        out.append("\n".join(cur).strip("\n") + "\n")
    return out


def files(root):
    return sorted(os.path.relpath(os.path.join(d, n), root)
                  for d, _, names in os.walk(root) for n in names)


def main(argv):
    if len(argv) != 4:
        sys.exit(__doc__)
    cw, src, work = os.path.abspath(argv[1]), os.path.abspath(argv[2]), os.path.abspath(argv[3])
    sys.path.insert(0, os.path.join(src, "tests", "support"))
    from checklist import check, finish

    text = section(src, "Batch conversion")
    yaml_blocks = [b for b in blocks(text) if b.startswith("# crosswalk.yaml\n")]
    check(len(yaml_blocks) == 1, "the section has one batch file (# crosswalk.yaml)")
    if not yaml_blocks:
        return finish()
    batch_file = yaml_blocks[0]
    # the commands it names, in the order it names them
    commands = [" ".join(c.split()) for c in re.findall(r"`(crosswalk batch [^`]*)`", text)]
    check(any("--report" in c for c in commands) and any("--allow-loss-from" in c for c in commands),
          f"the section names the run, the baseline and the strict run ({commands})")

    def fresh():
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(os.path.join(work, "articles"))
        shutil.copy(os.path.join(src, "examples", "article.xml"), os.path.join(work, "articles"))
        with open(os.path.join(work, "crosswalk.yaml"), "w", encoding="utf-8") as f:
            f.write(batch_file)
        return files(work)

    def run(args):
        return subprocess.run([cw] + args, cwd=work, capture_output=True, text=True)

    # 1. the batch file as the guide prints it, and the guide's commands
    fresh()
    outputs = []
    for tmpl in re.findall(r'"([^"{}]*(?:\{[a-z]+\}[^"{}]*)+)"', batch_file):
        if "{" in tmpl and not tmpl.startswith("articles/"):
            outputs.append(os.path.normpath(tmpl.replace("{reldir}", ".")
                                            .replace("{stem}", "article")))
    check(len(outputs) >= 3, f"(the output templates: {outputs})")
    summary = None
    for c in commands:
        p = run(c.split()[1:])
        check(p.returncode == 0, f"`{c}` exits 0 on the example article "
              f"({p.returncode}{': ' + p.stderr[-600:] if p.returncode else ''})")
        if c == "crosswalk batch crosswalk.yaml":
            summary = p.stderr
            made = files(work)
            check(all(o in made for o in outputs),
                  f"... and writes {outputs} (wrote {made})")

    # 2. the summary, as the section shows it
    shown = [b for b in blocks(text) if b.startswith("crosswalk: batch: ")]
    check(len(shown) == 1, "the section shows a summary")
    if shown and summary is not None:
        doc_lines = shown[0].split("\n")
        got = [line for line in summary.split("\n") if line.startswith("crosswalk: batch: ")]
        shape = re.sub(r"[0-9.]+", "N", doc_lines[0])
        check(len(got) == 1 and re.sub(r"[0-9.]+", "N", got[0]) == shape,
              f"the summary's first line has the shape shown ({shape}): {got}")
        header = doc_lines[1].split()
        check(any(line.split() == header for line in summary.split("\n")),
              f"the summary table has the columns shown ({header})")
        for job in ("citations", "references"):
            check(any(line.split()[:1] == [job] for line in summary.split("\n")),
                  f"the summary has a row for the job {job}")

    # 3. -n
    before = fresh()
    p = run(["batch", "-n", "crosswalk.yaml"])
    check(p.returncode == 0 and files(work) == before and
          all(o in p.stdout + p.stderr for o in outputs),
          f"-n lists the conversions and writes nothing ({p.returncode}: {p.stdout[-300:]})")

    # 4. mistakes: located, status 2, nothing written
    mistake = re.search(r"`(crosswalk\.yaml:(\d+):(\d+): [^`]*?) \.\.\.: '(\w+)'`", text)
    check(mistake is not None, "the section shows a located mistake")
    if mistake:
        line, col, key = int(mistake.group(2)), int(mistake.group(3)), mistake.group(4)
        said = " ".join(mistake.group(1).split())
        # the unknown key at the line and column the guide names
        lines = ["jobs:", "  - name: citations"]
        lines += ["    # a comment"] * (line - 1 - len(lines))
        lines.append(" " * (col - 1) + key + ": [articles/]")
        lines += ["    outputs: \"citations/{stem}.bib\""]
        before = fresh()
        with open(os.path.join(work, "crosswalk.yaml"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        p = run(["batch", "crosswalk.yaml"])
        check(p.returncode == 2 and said in p.stderr and f"'{key}'" in p.stderr and
              files(work) == before,
              f"the mistake is \"{said} ...: '{key}'\", status 2, nothing written "
              f"({p.returncode}: {p.stderr[-300:]})")
    before = fresh()
    with open(os.path.join(work, "crosswalk.yaml"), "a", encoding="utf-8") as f:
        f.write('  - name: again\n    inputs: articles/\n    outputs: "references/{stem}.bib"\n')
    p = run(["batch", "crosswalk.yaml"])
    check(p.returncode == 2 and "references/article.bib" in p.stderr and files(work) == before,
          f"two jobs writing one file: status 2, the file named, nothing written "
          f"({p.returncode}: {p.stderr[-300:]})")
    shutil.rmtree(work, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
