#!/usr/bin/python3
"""A plugin that crashes: crosswalk names it with its stage and place in one
line, removes every temporary output, and dies of the same signal (status
128+n). The crashy fixture plugin (tests/core/fixtures/fx_crash.c) crashes
on demand; a SIGSEGV sent while no plugin runs is the core's crash.

usage: crash.py CROSSWALK CRASHY_PLUGIN WORK_DIR

The runs add handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:
handle_abort=0 to ASAN_OPTIONS: in a CW_SANITIZE build AddressSanitizer lets
crosswalk's handler replace its own by default (allow_user_segv_handler),
and these make sure no runtime default takes the signals first, print its
own report and exit 1 (docs/design-notes.md, "Crashes"). The fixture plugin
is built without sanitizers, so its faults are real ones, not UBSan's.
"""
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time

cw, plugin, work = sys.argv[1:4]
failures = 0


def fail(what):
    global failures
    failures += 1
    print("FAIL: " + what)


def no_core():
    # a crash test has no use for core files
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def env():
    e = dict(os.environ)
    asan = e.get("ASAN_OPTIONS", "")
    e["ASAN_OPTIONS"] = (asan + ":" if asan else "") + (
        "handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:handle_abort=0")
    return e


def temporaries(d):
    return sorted(n for n in os.listdir(d) if ".crosswalk-" in n)


def check_death(name, proc_rc, err, sig, message, d):
    before = failures
    if proc_rc != -sig:
        fail("%s: status %s, expected death by %s" % (name, proc_rc, signal.Signals(sig).name))
    lines = err.decode("utf-8", "replace").splitlines()
    if message not in lines:
        fail("%s: no line %r in stderr:\n    %s" % (name, message, "\n    ".join(lines)))
    left = temporaries(d)
    if left:
        fail("%s: temporaries left: %s" % (name, " ".join(left)))
    with open(os.path.join(d, "out.json")) as f:
        if f.read() != "EARLIER\n":
            fail("%s: out.json was replaced" % name)
    for out in ("out.crashy", "report.json"):
        if os.path.exists(os.path.join(d, out)):
            fail("%s: %s was written" % (name, out))
    if failures == before:
        print("ok: %s" % name)


def case(name, crash_line, sig, place, filters=()):
    """Converts a crashy input whose third line is crash_line."""
    d = os.path.join(work, name)
    os.makedirs(d)
    with open(os.path.join(d, "in.crashy"), "w") as f:
        f.write("one\ntwo\n%s\nfour\n" % crash_line)
    with open(os.path.join(d, "out.json"), "w") as f:
        f.write("EARLIER\n")
    args = [cw, "--plugin", plugin, "convert", "in.crashy"]
    for flt in filters:
        args += ["--filter", flt]
    # two writers and a report: every one of their temporaries must go
    args += ["-o", "out.crashy", "-o", "out.json", "--report", "report.json"]
    p = subprocess.run(args, cwd=d, env=env(), stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, preexec_fn=no_core, timeout=120)
    check_death(name, p.returncode, p.stderr, sig,
                "crosswalk: plugin crashy crashed (%s) %s" % (signal.Signals(sig).name, place), d)


shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)

case("reader-null", "!segv", signal.SIGSEGV, "while reading in.crashy:3")
case("writer-abort", "!abort", signal.SIGABRT,
     "while writing out.crashy (record 3, in.crashy:3)")
case("writer-end-abort", "!end", signal.SIGABRT, "while writing out.crashy")
case("filter-fpe", "!fpe", signal.SIGFPE, "in filter crashy-trap (record 3, in.crashy:3)",
     filters=["crashy-trap"])
case("filter-bus", "!bus", signal.SIGBUS, "in filter crashy-trap (record 3, in.crashy:3)",
     filters=["crashy-trap"])
case("filter-ill", "!ill", signal.SIGILL, "in filter crashy-trap (record 3, in.crashy:3)",
     filters=["crashy-trap"])
# the handler runs on its own stack: an overflow still gets its message
case("filter-stack-overflow", "!stack", signal.SIGSEGV,
     "in filter crashy-trap (record 3, in.crashy:3)", filters=["crashy-trap"])

# The core's crash: no plugin runs while crosswalk waits to open its input
# (a FIFO nobody writes to); the report's temporary exists by then.
d = os.path.join(work, "core")
os.makedirs(d)
os.mkfifo(os.path.join(d, "in.fifo"))
with open(os.path.join(d, "out.json"), "w") as f:
    f.write("EARLIER\n")
p = subprocess.Popen([cw, "convert", "-f", "csl-json", "in.fifo", "-o", "out.json",
                      "--report", "report.json"], cwd=d, env=env(),
                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=no_core)
deadline = time.monotonic() + 60
while not temporaries(d) and time.monotonic() < deadline and p.poll() is None:
    time.sleep(0.05)
if not temporaries(d):
    fail("core: the report's temporary never appeared")
p.send_signal(signal.SIGSEGV)
_, err = p.communicate(timeout=60)
check_death("core", p.returncode, err, signal.SIGSEGV, "crosswalk: crashed (SIGSEGV)", d)

# crosswalk batch: each conversion runs in a process of its own, forked
# with the batch's plugins loaded. A crash is named as in convert, ends only
# its own conversion (the others are written, the batch's exit status is the
# crash's), leaves no temporary and does not take the batch's report with it.
d = os.path.join(work, "batch")
os.makedirs(os.path.join(d, "in"))
with open(os.path.join(d, "in", "a.crashy"), "w") as f:
    f.write("one\ntwo\n!segv\nfour\n")
with open(os.path.join(d, "in", "b.crashy"), "w") as f:
    f.write("one\ntwo\n")
with open(os.path.join(d, "crosswalk.yaml"), "w") as f:
    f.write("jobs:\n  - inputs: in\n    outputs: out/{stem}.json\n")
p = subprocess.run([cw, "--plugin", plugin, "batch", "-j", "2", "--report", "report.json",
                    "crosswalk.yaml"], cwd=d, env=env(), stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE, preexec_fn=no_core, timeout=120)
err = p.stderr.decode("utf-8", "replace")
before = failures
if p.returncode != 128 + signal.SIGSEGV:
    fail("batch: status %s, expected %d" % (p.returncode, 128 + signal.SIGSEGV))
if "crosswalk: plugin crashy crashed (SIGSEGV) while reading in/a.crashy:3" not in err.splitlines():
    fail("batch: the crash is not named:\n    " + "\n    ".join(err.splitlines()))
out = os.path.join(d, "out")
if not os.path.exists(os.path.join(out, "b.json")) or os.path.exists(os.path.join(out, "a.json")):
    fail("batch: the other file is not converted, or the crashed one was written")
left = temporaries(out) + temporaries(d)
if left:
    fail("batch: temporaries left: %s" % " ".join(left))
try:
    with open(os.path.join(d, "report.json")) as f:
        rep = json.load(f)
    exits = {e["input"]: e["exit"] for e in rep["files"]}
    if exits != {"in/a.crashy": 128 + signal.SIGSEGV, "in/b.crashy": 0}:
        fail("batch: the report's exit statuses are %s" % exits)
except (OSError, ValueError, KeyError) as e:
    fail("batch: no report: %s" % e)
if failures == before:
    print("ok: batch")

sys.exit(1 if failures else 0)
