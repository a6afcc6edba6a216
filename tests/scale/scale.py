#!/usr/bin/python3
"""Runs 10^3 .. 10^6 records through crosswalk's main paths and reports wall
time, CPU time, records/s and peak RSS per size, and whether time is linear
and memory flat. `make scale` runs it on a Release build; it is no test
(nothing in ctest runs it) and never fails on a measurement.

usage: scale.py CROSSWALK PLUGIN_DIR WORK_DIR
Environment:
  SCALE_MAX        largest size (default 1000000; 1e5, 10^5 and 100000 all
                   work): `make scale SCALE_MAX=100000` skips the 10^6 runs
  SCALE_PATHS      comma-separated substrings: only paths whose name has one
  SCALE_TMP        where the temporary directory for inputs and outputs is
                   made (default: $TMPDIR or /tmp); it is removed at the end
  SCALE_MEM_LIMIT  address-space limit of each crosswalk run, MiB (default
                   4096); a size whose peak RSS would pass it, judging by the
                   size before, is skipped rather than risk the machine
  SCALE_TIMEOUT    seconds one crosswalk run may take (default 900); a run
                   that takes longer is killed and reported

Inputs come from gen.py (real records from the shared corpus with new ids)
and are generated once per size into the temporary directory, used by every
path that reads them, and deleted before the next size. Each run writes its
output to a file there (the normal commit: temporary file, fsync, rename).
Sizes up to 10^4 are run three times and the fastest run kept; larger ones
once. Peak RSS is the child's ru_maxrss (os.wait4).

Verdicts (WORK_DIR/results.md):
  time    linear when the CPU time per record, less the start-up time (a
          one-record run), varies by at most a factor of 2 over the sizes
          from 10^4 up (10^3 runs are mostly start-up)
  memory  flat when the peak RSS at 10^6 is at most 64 MiB: measured, or,
          when 10^6 was not run, extrapolated linearly from the two largest
          sizes that were
"""
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen  # noqa: E402

MIB = 1024.0 * 1024.0
FLAT_MIB = 64
LINEAR_FACTOR = 2.0
TARGET = 10 ** 6

# name, generator kind, crosswalk arguments before IN, format of OUT, notes
PATHS = [
    ("bibtex-to-csljson", "bibtex", ["-f", "bibtex"], "csljson", ""),
    ("csljson-to-bibtex", "csljson", ["-f", "csljson"], "bibtex", ""),
    ("csljsonl-to-bibtex", "csljsonl", ["-f", "csljsonl"], "bibtex", ""),
    ("oai_dc-to-csljson", "oai_dc", ["-f", "dc"], "csljson", ""),
    ("csljson-to-dc", "csljson", ["-f", "csljson"], "dc", ""),
    ("jats-oai-to-csljson", "jats-oai", ["-f", "jats"], "csljson",
     "an OAI-PMH ListRecords of articles"),
    ("jats-refs-to-csljson", "jats-refs", ["-f", "jats", "--limit", "children=4000000",
                                           "--limit", "record-bytes=64G"], "csljson",
     "one article, records = its references"),
    ("jats-refs-filter-references", "jats-refs",
     ["-f", "jats", "--filter", "references", "--limit", "children=4000000",
      "--limit", "record-bytes=64G"], "csljson",
     "one article through --filter references"),
]


def parse_size(text):
    text = text.strip().replace("_", "")
    m = re.fullmatch(r"10\^(\d+)", text)
    if m:
        return 10 ** int(m.group(1))
    return int(float(text))


def sizes(maximum):
    out = [n for n in (10 ** 3, 10 ** 4, 10 ** 5, 10 ** 6) if n <= maximum]
    return out or [10 ** 3]


class Runner:
    def __init__(self, crosswalk, plugins, tmp, mem_limit_mib, timeout):
        self.timeout = timeout
        self.crosswalk = crosswalk
        self.env = dict(os.environ, CROSSWALK_PLUGIN_PATH=plugins, LC_ALL="C.UTF-8")
        self.tmp = tmp
        self.mem_limit = mem_limit_mib * 1024 * 1024
        self.common = ["convert", "-q"]
        # A whole-input limit would refuse the large inputs (issue 11 item 3
        # drops its default); raise it while the option exists
        if self.accepts(["--limit", "input-bytes=1024G"]):
            self.common += ["--limit", "input-bytes=1024G"]

    def accepts(self, args):
        path = os.path.join(self.tmp, "probe.json")
        with open(path, "w") as f:
            f.write("[]\n")
        proc = subprocess.run([self.crosswalk, "convert", "-q"] + args + [path, "-t", "csljson", "-o", "-"],
                              env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.remove(path)
        return proc.returncode == 0

    def limit_memory(self):
        resource.setrlimit(resource.RLIMIT_AS, (self.mem_limit, self.mem_limit))

    def run(self, args, inp, to):
        """One run: (wall s, cpu s, peak RSS MiB, exit status, stderr bytes, last stderr line)."""
        out = os.path.join(self.tmp, "output")
        err = os.path.join(self.tmp, "stderr")
        cmd = [self.crosswalk] + self.common + args + [inp, "-t", to, "-o", out]
        with open(err, "wb") as ef:
            t0 = time.perf_counter()
            proc = subprocess.Popen(cmd, env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=ef, preexec_fn=self.limit_memory)
            timer = threading.Timer(self.timeout, proc.kill)
            timer.start()
            _, status, ru = os.wait4(proc.pid, 0)
            timer.cancel()
            wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        with open(err, "rb") as ef:
            ef.seek(0, os.SEEK_END)
            nerr = ef.tell()
            ef.seek(max(0, nerr - 4096))
            lines = ef.read().decode("utf-8", "replace").strip().splitlines()
        for p in (out, err):
            if os.path.exists(p):
                os.remove(p)
        return (wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0, proc.returncode, nerr,
                lines[-1][:200] if lines else "")

    def best(self, args, inp, to, repeat):
        runs = [self.run(args, inp, to) for _ in range(repeat)]
        return min(runs, key=lambda r: r[0])


def fmt_rate(n, s):
    return f"{n / s:,.0f}" if s > 0 else "-"


def verdicts(rows, start):
    """rows: {n: result}; start: (wall, cpu) of a one-record run."""
    ok = {n: r for n, r in rows.items() if r.get("status") == "run"}
    per = {n: max(r["cpu"] - start[1], 0.0) / n * 1e6 for n, r in ok.items()}
    timed = [per[n] for n in sorted(per) if n >= 10 ** 4]
    if len(timed) >= 2 and min(timed) > 0:
        f = max(timed) / min(timed)
        grows = per[max(per)] > per[min(n for n in per if n >= 10 ** 4)]
        time_v = (f"linear (x{f:.2f})" if f <= LINEAR_FACTOR
                  else f"**not linear** (per-record CPU time x{f:.1f} from 10^4 to 10^{len(str(max(per))) - 1})"
                  if grows else f"linear? (x{f:.2f}, faster per record at size)")
    else:
        time_v = "too few sizes"
    sizes_run = sorted(ok)
    if not sizes_run:
        return time_v, "not run", None
    big = sizes_run[-1]
    if big >= TARGET:
        at = ok[big]["rss"]
        how = "measured"
    elif len(sizes_run) >= 2:
        prev = sizes_run[-2]
        slope = (ok[big]["rss"] - ok[prev]["rss"]) / (big - prev)
        at = ok[big]["rss"] + max(slope, 0.0) * (TARGET - big)
        how = f"extrapolated from 10^{len(str(prev)) - 1} and 10^{len(str(big)) - 1}"
    else:
        at, how = ok[big]["rss"], "one size only"
    mem_v = (f"flat ({at:.0f} MiB at 10^6, {how})" if at <= FLAT_MIB
             else f"**not flat** ({at:,.0f} MiB at 10^6, {how})")
    return time_v, mem_v, at


def main(argv):
    if len(argv) != 4:
        sys.exit(__doc__)
    crosswalk, plugins, work = argv[1:4]
    os.makedirs(work, exist_ok=True)
    maximum = parse_size(os.environ.get("SCALE_MAX") or str(TARGET))
    only = [s for s in os.environ.get("SCALE_PATHS", "").split(",") if s]
    paths = [p for p in PATHS if not only or any(s in p[0] for s in only)]
    tmp = tempfile.mkdtemp(prefix="crosswalk-scale-", dir=os.environ.get("SCALE_TMP") or None)
    results = {p[0]: {} for p in paths}
    start = {}
    try:
        runner = Runner(crosswalk, plugins, tmp, int(os.environ.get("SCALE_MEM_LIMIT", "4096")),
                        float(os.environ.get("SCALE_TIMEOUT", "900")))
        print(f"scale: sizes {', '.join(str(n) for n in sizes(maximum))}; inputs in {tmp}", flush=True)
        kinds = []
        for p in paths:
            if p[1] not in kinds:
                kinds.append(p[1])
        # start-up: a one-record run per path, fastest of three
        for kind in kinds:
            inp = os.path.join(tmp, f"input-{kind}-1")
            gen.generate(kind, 1, inp)
            for name, k, args, to, _ in paths:
                if k == kind:
                    r = runner.best(args, inp, to, 3)
                    start[name] = (r[0], r[1])
            os.remove(inp)
        for n in sizes(maximum):
            for kind in kinds:
                todo = []
                for name, k, args, to, _ in paths:
                    if k != kind:
                        continue
                    prev = [m for m in results[name] if results[name][m].get("status") == "run"]
                    if prev:
                        last = max(prev)
                        guess = results[name][last]["rss"] * n / last
                        if guess > runner.mem_limit / MIB:
                            results[name][n] = {"status": f"skipped: about {guess:,.0f} MiB expected"}
                            print(f"{name:30} {n:8d}  skipped (peak RSS {guess:,.0f} MiB expected)", flush=True)
                            continue
                    todo.append((name, args, to))
                if not todo:
                    continue
                inp = os.path.join(tmp, f"input-{kind}-{n}")
                t0 = time.perf_counter()
                gen.generate(kind, n, inp)
                size = os.path.getsize(inp)
                print(f"generated {kind} x {n}: {size / 1e6:.1f} MB in {time.perf_counter() - t0:.1f} s",
                      flush=True)
                for name, args, to in todo:
                    wall, cpu, rss, rc, nerr, last = runner.best(args, inp, to, 3 if n <= 10 ** 4 else 1)
                    status = ("run" if rc in (0, 1) else f"killed after {runner.timeout:.0f} s"
                              if rc == -9 else f"exit {rc}")
                    results[name][n] = dict(status=status, wall=wall, cpu=cpu, rss=rss, rc=rc, mb=size / 1e6,
                                            nerr=nerr, last=last)
                    print(f"{name:30} {n:8d} {size / 1e6:9.1f} MB {wall:8.2f} s wall {cpu:8.2f} s cpu "
                          f"{fmt_rate(n, wall):>10} rec/s {rss:9.1f} MiB  exit {rc}"
                          + (f"  stderr {nerr} B: {last}" if rc not in (0, 1) else ""), flush=True)
                os.remove(inp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report(work, paths, results, start)
    return 0


def report(work, paths, results, start):
    lines = ["| path | records | input MB | wall s | CPU s | records/s | CPU µs/record | peak RSS MiB | exit |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, *_ in paths:
        for n in sorted(results[name]):
            r = results[name][n]
            if "wall" not in r:
                lines.append(f"| {name} | {n:,} | | | | | | | {r['status']} |")
                continue
            per = max(r["cpu"] - start[name][1], 0.0) / n * 1e6
            lines.append(f"| {name} | {n:,} | {r['mb']:.1f} | {r['wall']:.2f} | {r['cpu']:.2f} | "
                         f"{fmt_rate(n, r['wall'])} | {per:.1f} | {r['rss']:.1f} | "
                         f"{r['rc'] if r['status'] == 'run' else r['status']} |")
    lines += ["", "| path | start-up s | time | peak RSS | notes |", "|---|---:|---|---|---|"]
    for name, _, _, _, notes in paths:
        t, m, _ = verdicts(results[name], start[name])
        lines.append(f"| {name} | {start[name][0]:.3f} | {t} | {m} | {notes} |")
    text = "\n".join(lines) + "\n"
    print("\n" + text)
    with open(os.path.join(work, "results.md"), "w", encoding="utf-8") as f:
        f.write(text)
    print(f"written to {os.path.join(work, 'results.md')}")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
