#!/usr/bin/python3
"""Times `crosswalk batch` on a journal of COUNT JATS articles, at -j 1 and -j 2.

usage: batch_bench.py CROSSWALK PLUGIN_DIR WORK_DIR [COUNT]
The journal is laid out as examples/ci/ has it: articles/ holds COUNT
articles, one file each, in volumes of 100 (articles/v03/a0312.xml), made
from the shared corpus's JATS articles with gen_jats.py's rule (each copy
has its own article-id); crosswalk.yaml is examples/ci/crosswalk.yaml, so
every article becomes .bib, .json, .dc.xml and .references.json.
For each -j it runs the batch once untimed, then three times, and reports
the best wall time with its CPU time (all processes), articles/s, records/s
and the largest resident memory of any one process. The outputs of -j 1 and
-j 2 are compared byte for byte. Results go to stdout and
WORK_DIR/batch-results.md. A benchmark, not a test: nothing here fails on
a time.
"""
import filecmp
import re
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", ".."))
RUNS = 3
sys.path.insert(0, HERE)
import gen_jats  # noqa: E402  (the corpus articles, in the same order)


def make_journal(root, count):
    stamp = os.path.join(root, ".complete")
    if os.path.exists(stamp):
        return
    shutil.rmtree(root, ignore_errors=True)
    arts = gen_jats.articles(gen_jats.corpus_dir())
    if not arts:
        sys.exit(f"batch_bench.py: no JATS corpus under {gen_jats.corpus_dir()} "
                 "(set CW_CORPUS_DIR)")
    for i in range(count):
        vol = os.path.join(root, "articles", f"v{i // 100:02d}")
        os.makedirs(vol, exist_ok=True)
        tag = b'<article-meta><article-id pub-id-type="other">batch-%d</article-id>' % i
        body = arts[i % len(arts)].replace(b"<article-meta>", tag, 1)
        with open(os.path.join(vol, f"a{i:04d}.xml"), "wb") as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n")
    shutil.copy(os.path.join(TOP, "examples", "ci", "crosswalk.yaml"), root)
    open(stamp, "w").close()


def tree_size(path):
    total = 0
    for dirpath, _, names in os.walk(path):
        total += sum(os.path.getsize(os.path.join(dirpath, n)) for n in names)
    return total


def run_batch(crosswalk, env, root, jobs, report):
    shutil.rmtree(os.path.join(root, "citations"), ignore_errors=True)
    cmd = [crosswalk, "batch", "-q", "-j", str(jobs), "--report", report, "crosswalk.yaml"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"batch_bench.py: crosswalk batch -j {jobs} failed:\n{err[:2000]}")
    # wait4 gives the batch process with every child it reaped: CPU summed,
    # memory the largest of one process
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0


def records_written(report):
    # the summary ends the report; loading the whole report (megabytes of
    # JSON) would grow this process, and a process forked from it reports
    # this process's memory as its own peak
    with open(report, "rb") as f:
        f.seek(max(0, os.path.getsize(report) - 4096))
        tail = f.read().decode("utf-8", "replace")
    return int(re.findall(r'"records_written": (\d+)', tail)[-1])


def same_tree(a, b):
    cmp = filecmp.dircmp(a, b)
    if cmp.left_only or cmp.right_only or cmp.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    if mismatch or errors:
        return False
    return all(same_tree(os.path.join(a, d), os.path.join(b, d)) for d in cmp.common_dirs)


def main(argv):
    if len(argv) not in (4, 5):
        sys.exit(__doc__)
    crosswalk, plugins, work = argv[1:4]
    count = int(argv[4]) if len(argv) == 5 else 1000
    root = os.path.join(os.path.abspath(work), f"batch-{count}")
    make_journal(root, count)
    env = dict(os.environ, CROSSWALK_PLUGIN_PATH=plugins, LC_ALL="C.UTF-8")
    size = tree_size(os.path.join(root, "articles"))
    rows, kept = [], {}
    for jobs in (1, 2):
        report = os.path.join(root, f"report-j{jobs}.json")
        best = None
        for run in range(RUNS + 1):
            r = run_batch(crosswalk, env, root, jobs, report)
            if run and (best is None or r[0] < best[0]):
                best = r
        recs = records_written(report)
        kept[jobs] = os.path.join(root, f"citations-j{jobs}")
        shutil.rmtree(kept[jobs], ignore_errors=True)
        os.rename(os.path.join(root, "citations"), kept[jobs])
        wall, cpu, rss = best
        rows.append((jobs, wall, cpu, count / wall, recs / wall, size / 1e6 / wall, rss))
        print(f"batch {count} articles -j {jobs}: {wall:7.2f} s wall {cpu:7.2f} s CPU "
              f"{count / wall:7.1f} articles/s {recs / wall:8.0f} records/s "
              f"{size / 1e6 / wall:6.1f} MB/s  peak {rss:6.1f} MiB", flush=True)
    same = same_tree(kept[1], kept[2])
    print(f"outputs of -j 1 and -j 2 {'identical' if same else 'DIFFER'}")
    with open(os.path.join(work, "batch-results.md"), "w", encoding="utf-8") as f:
        f.write(f"`crosswalk batch` of examples/ci/crosswalk.yaml on {count} articles "
                f"({size / 1e6:.1f} MB; 4 outputs each)\n\n")
        f.write("| -j | best wall s | CPU s | articles/s | records/s | MB/s | peak RSS MiB |\n")
        f.write("|---:|---:|---:|---:|---:|---:|---:|\n")
        for r in rows:
            f.write(f"| {r[0]} | {r[1]:.2f} | {r[2]:.2f} | {r[3]:.1f} | {r[4]:.0f} | "
                    f"{r[5]:.1f} | {r[6]:.1f} |\n")
        f.write(f"\nOutputs of -j 1 and -j 2: {'identical' if same else 'DIFFER'}.\n")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
