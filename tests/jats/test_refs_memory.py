#!/usr/bin/python3
"""Peak memory of the references filter over one article with 10^5 references.

usage: test_refs_memory.py CROSSWALK [BOUND_MIB [PLAIN_RATIO]]
Writes the article with gen_refs.py (about 90 MB), converts it with
`--filter references -t csljson` and checks the child's peak RSS
(getrusage of the child, ru_maxrss) against BOUND_MIB (default 64): the
JATS reader hands each reference on by itself, so the peak follows the
largest reference, not the article. Reading the whole article took 1.3 GB.

With PLAIN_RATIO, the article is also converted without the filter: one
record holding 10^5 children, which must take at most PLAIN_RATIO times the
input (it took 7.5 times: a 4 KiB first arena chunk per child, and the
CSL-JSON writer held the whole article's text before writing it).
Not timed. Exit 0 pass, 1 fail.
"""
import os
import resource
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REFS = 100000


def peak_of(args):
    """The exit status, stderr and peak RSS (MiB) of one crosswalk run."""
    pid = os.fork()
    if pid == 0:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.execv(args[0], args)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024


def main(argv):
    if len(argv) not in (2, 3, 4):
        sys.exit("usage: test_refs_memory.py CROSSWALK [BOUND_MIB [PLAIN_RATIO]]")
    cw = argv[1]
    bound_mib = int(argv[2]) if len(argv) >= 3 else 64
    plain_ratio = float(argv[3]) if len(argv) == 4 else None
    sys.path.insert(0, HERE)
    import gen_refs  # noqa: E402

    with tempfile.TemporaryDirectory(prefix="cw-refs-mem-") as tmp:
        src = os.path.join(tmp, "refs.xml")
        with open(src, "w", encoding="utf-8") as f:
            gen_refs.write(REFS, f)
        size = os.path.getsize(src)
        out = os.path.join(tmp, "refs.json")
        # record-bytes: the article is far above the 16 MiB default on purpose
        p = subprocess.run([cw, "convert", "-q", "--limit", "record-bytes=1G", "--filter",
                            "references", src, "-t", "csljson", "-o", out],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # the only child this process waited for: its peak, in KiB on Linux
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if p.returncode != 0:
            print(f"FAIL: crosswalk exited {p.returncode}: {p.stderr.decode()[:2000]}")
            return 1
        with open(out, "rb") as f:
            written = sum(1 for line in f if line.startswith(b'    "id": '))
        if written != REFS:
            print(f"FAIL: {written} references written, {REFS} expected")
            return 1
        peak_mib = peak_kib / 1024
        print(f"{REFS} references, {size / 1e6:.1f} MB: peak RSS {peak_mib:.1f} MiB "
              f"(bound {bound_mib} MiB)")
        if peak_mib > bound_mib:
            print("FAIL: the peak grows with the number of references")
            return 1
        if plain_ratio is None:
            return 0
        rc, plain_mib = peak_of([cw, "convert", "-q", "--limit", "record-bytes=1G",
                                 "--limit", "children=1000000", src, "-t", "csljson", "-o", out])
        if rc != 0:
            print(f"FAIL: the plain conversion exited {rc}")
            return 1
        bound = plain_ratio * size / (1 << 20)
        print(f"without the filter (one record): peak RSS {plain_mib:.1f} MiB "
              f"(bound {bound:.0f} MiB, {plain_ratio} x the input)")
        if plain_mib > bound:
            print("FAIL: the article's record takes too much memory per reference")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
