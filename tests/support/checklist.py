"""The ok/FAIL lines of the python tests: check() prints one line per check
and keeps the failures; skip() says what was not checked; finish() prints
the count and gives the exit status. Import with the directory of this file
on sys.path."""
import sys

failures = []


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        failures.append(what)
    return cond


def skip(what):
    print("SKIP: " + what)


def finish():
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0
