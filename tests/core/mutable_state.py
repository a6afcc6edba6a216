#!/usr/bin/python3
"""Lists the writable data of libcrosswalk and fails on any not named below.

usage: mutable_state.py LIBCROSSWALK.so

The library keeps no mutable global state (STYLE.md, rule 8): everything
hangs off a handle. The one exception is argued in docs/design-notes.md
("Mutable state in the library"); a new static variable, cache or counter
fails this test until it is removed or argued there and added here.
"""
import subprocess
import sys

# ostream.c: the streams whose temporary file exists, for the signal handler
# that removes them (it has no handle to start from)
ALLOWED = {"live_head", "live_lock", "failed_empty"}
# what the C runtime's start files put into every shared object
RUNTIME = {"completed.0", "__dso_handle", "__TMC_END__"}


def main(lib):
    out = subprocess.run(["objdump", "-t", lib], check=True, capture_output=True,
                         text=True).stdout
    bad = []
    for line in out.splitlines():
        parts = line.split()
        # VALUE FLAGS... SECTION SIZE NAME; data objects have the O flag
        if len(parts) < 5 or " O " not in line:
            continue
        section, name = parts[-3], parts[-1]
        if section not in (".data", ".bss", ".tbss", ".tdata"):
            continue
        # sanitizer instrumentation; "__odr_asan.X" is AddressSanitizer's
        # one-definition-rule byte for a global X that other objects may
        # see (X itself is listed here on its own when it is writable)
        if name in ALLOWED or name in RUNTIME or name.startswith("__asan") \
                or name.startswith("__odr_asan") or name.startswith("__ubsan") \
                or name.startswith("__sancov"):
            continue
        bad.append(f"{name} ({section})")
    if bad:
        print("mutable global state in the library: " + ", ".join(bad))
        print("remove it, or argue it in docs/design-notes.md and allow it in " + __file__)
        return 1
    print("no mutable global state but: " + ", ".join(sorted(ALLOWED)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
