#!/usr/bin/python3
"""Runs the conversion benchmarks listed in cases.txt with the crosswalk CLI.

usage: run_bench.py CROSSWALK PLUGIN_DIR WORK_DIR [CASE-SUBSTRING...]
For each case it generates the input once (gen_<generator>.py), converts it
once untimed and then five times, each time into a new file in WORK_DIR, and
reports the best wall time as MB/s of input and records/s, with the peak
resident memory of that run. The warm-up and the best of five are for the
shared virtual machines we measure on: a CPU that was idle starts slow, and
single runs vary by a third.
Results go to stdout and WORK_DIR/results.md.
"""
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RUNS = 5


def cases(filters):
    with open(os.path.join(HERE, "cases.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].split()
            if not line:
                continue
            name, src, dst, gen, count, *args = line
            if filters and not any(x in name for x in filters):
                continue
            yield name, src, dst, gen, int(count), args


def generate(work, gen, count, args):
    tag = "-".join([gen, str(count)] + [a.strip("-") for a in args])
    path = os.path.join(work, f"input-{tag}")
    if not os.path.exists(path):
        tmp = path + ".tmp"
        subprocess.run([sys.executable, os.path.join(HERE, f"gen_{gen}.py"), str(count), tmp]
                       + args, check=True)
        os.rename(tmp, path)
    return path


def run_once(cmd, env):
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, _, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    return wall, ru.ru_maxrss / 1024.0, err


def main(argv):
    crosswalk, plugins, work = argv[1:4]
    os.makedirs(work, exist_ok=True)
    env = dict(os.environ, CROSSWALK_PLUGIN_PATH=plugins, LC_ALL="C.UTF-8")
    rows = []
    for name, src, dst, gen, count, args in cases(argv[4:]):
        inp = generate(work, gen, count, args)
        size = os.path.getsize(inp)
        out = os.path.join(work, f"output-{name}")
        cmd = [crosswalk, "convert", "-q", "-f", src, inp, "-t", dst, out]
        best, rss = None, 0.0
        for run in range(RUNS + 1):
            # each run writes a new file: replacing the last run's output
            # would add the file system's cost of freeing it to the time
            if os.path.exists(out):
                os.remove(out)
            wall, peak, err = run_once(cmd, env)
            if err.strip():
                print(f"{name}: crosswalk reported:\n{err[:2000]}", file=sys.stderr)
            if run == 0:
                continue  # warm-up: an idle virtual CPU starts slow
            if best is None or wall < best:
                best, rss = wall, peak
        mbs = size / 1e6 / best
        rows.append((name, size / 1e6, count, best, mbs, count / best, rss))
        print(f"{name:28} {size / 1e6:8.1f} MB {count:8d} rec {best:7.3f} s "
              f"{mbs:7.1f} MB/s {count / best:10.0f} rec/s  peak {rss:7.1f} MiB", flush=True)
    with open(os.path.join(work, "results.md"), "w", encoding="utf-8") as f:
        f.write("| case | input MB | records | best s | MB/s | records/s | peak RSS MiB |\n")
        f.write("|---|---:|---:|---:|---:|---:|---:|\n")
        for r in rows:
            f.write(f"| {r[0]} | {r[1]:.1f} | {r[2]} | {r[3]:.3f} | {r[4]:.1f} | {r[5]:.0f} | {r[6]:.1f} |\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
