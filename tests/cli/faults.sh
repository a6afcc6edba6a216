#!/bin/sh
# Fault injection on the crosswalk program: full devices, a closed pipe,
# closed standard descriptors, a file size limit, signals and SIGKILL. Each
# check says what a run under the fault must do: report the system's reason,
# exit with the documented status, commit every output or none, and leave no
# temporary file behind.
# usage: faults.sh CROSSWALK SOURCE_DIR WORK_DIR
set -u
cw=$1 src=$2 work=$3
article=$src/examples/article.xml
rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 1

failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
ok() { echo "ok: $*"; }

# run.py [SIG=ign|dfl]... [stdout=closed-pipe] -- COMMAND...: execs COMMAND
# with those signal dispositions and standard output. A background job of a
# non-interactive shell starts with SIGINT ignored, which crosswalk (rightly)
# keeps; the signal tests need it back.
cat >run.py <<'PY'
import os, signal, sys
args = sys.argv[1:]
while args[0] != "--":
    name, how = args.pop(0).split("=")
    if name == "stdout":
        r, w = os.pipe()
        os.close(r)
        os.dup2(w, 1)
        os.close(w)
    else:
        signal.signal(getattr(signal, "SIG" + name),
                      signal.SIG_IGN if how == "ign" else signal.SIG_DFL)
os.execvp(args[1], args[1:])
PY
run() { /usr/bin/python3 "$work/run.py" "$@"; }

# N BibTeX entries on standard output
gen_bib() {
	awk -v n="$1" 'BEGIN {
		for (i = 0; i < n; i++)
			printf "@article{key%d,\n  author = {Doe, Jane and Roe, Richard},\n  title = {A title of entry %d},\n  journal = {Journal of Tests},\n  year = {2020},\n  volume = {%d},\n  pages = {1--10}\n}\n\n", i, i, i % 100
	}'
}

# the temporary files in the current directory
temporaries() {
	ls -A | grep '\.crosswalk-' || true
}

# waits (at most 60 s) until a temporary file with data exists
wait_for_temporary() {
	i=0
	while [ $i -lt 600 ]; do
		for t in $(temporaries); do
			[ -s "$t" ] && return 0
		done
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

expect_status() { # expected actual what
	if [ "$2" -eq "$1" ]; then ok "$3: status $2"; else fail "$3: status $2, expected $1"; fi
}

expect_grep() { # pattern file what
	if grep -q -- "$1" "$2"; then ok "$3"; else
		fail "$3: no '$1' in:"
		cut -c1-160 "$2" | sed 's/^/    /' | head -10
	fi
}

expect_no_temporaries() {
	t=$(temporaries)
	if [ -z "$t" ]; then ok "$1: no temporary file"; else
		fail "$1: left" $t
		rm -f $t # so that later checks start clean
	fi
}

gen_bib 3000 >big.bib # about 600 KiB of CSL-JSON: past the 64 KiB buffer

# --- item 1: write errors carry the system's reason -------------------------

"$cw" -q convert "$article" -t bibtex -o /dev/full 2>err
expect_status 4 $? "/dev/full"
expect_grep "/dev/full: cannot write: No space left on device" err "/dev/full is reported"

"$cw" -q convert big.bib -t csljson -o /dev/full 2>err
expect_status 4 $? "/dev/full past 64 KiB"
expect_grep "/dev/full: cannot write: No space left on device" err "/dev/full past 64 KiB is reported"

run PIPE=ign stdout=closed-pipe -- "$cw" -q convert big.bib -t csljson - 2>err
expect_status 4 $? "closed pipe, SIGPIPE ignored"
expect_grep "<stdout>: cannot write: Broken pipe" err "closed pipe is reported"

# what the program prints itself
for args in --version --help formats; do
	"$cw" $args >/dev/full 2>err
	expect_status 4 $? "$args >/dev/full"
	expect_grep "<stdout>: cannot write: No space left on device" err "$args >/dev/full is reported"
done

# the default SIGPIPE ends the run, and takes the other output's temporary along
echo EARLIER >a.json
run PIPE=dfl stdout=closed-pipe -- "$cw" -q convert big.bib -t csljson -o - -o a.json 2>err
expect_status 141 $? "closed pipe, SIGPIPE"
expect_grep EARLIER a.json "closed pipe: a.json untouched"
expect_no_temporaries "closed pipe, SIGPIPE"

# a file size limit is a write error, not a death by SIGXFSZ with debris
(ulimit -f 64 && exec "$cw" -q convert big.bib big.json) 2>err
expect_status 4 $? "file size limit"
expect_grep "big.json: cannot write: File too large" err "file size limit is reported"
expect_no_temporaries "file size limit"
rm -f big.json

# --- item 4: a run commits all of its outputs or none -----------------------

for input in "$article" big.bib; do
	echo EARLIER >a.json
	chmod 640 a.json
	"$cw" -q convert "$input" -o a.json -t csljson -o /dev/full 2>err
	expect_status 4 $? "fan-out with /dev/full ($(basename "$input"))"
	expect_grep EARLIER a.json "fan-out: a.json untouched ($(basename "$input"))"
	expect_grep "/dev/full: cannot write: No space left on device" err "fan-out: /dev/full reported"
	expect_no_temporaries "fan-out"
done

# an unwritable report keeps the outputs from being replaced
mkdir ro && chmod 555 ro
if [ "$(id -u)" -ne 0 ]; then
	echo EARLIER >a.json
	"$cw" -q convert "$article" -o a.json --report ro/report.json 2>err
	expect_status 4 $? "unwritable report"
	expect_grep EARLIER a.json "unwritable report: a.json untouched"
fi
# (root writes into ro/ regardless: a missing directory fails for everyone)
echo EARLIER >a.json
"$cw" -q convert "$article" -o a.json --report no/such/dir/report.json 2>err
expect_status 4 $? "report in a missing directory"
expect_grep EARLIER a.json "report in a missing directory: a.json untouched"
expect_no_temporaries "unwritable report"

# --- item 5: closed standard descriptors -------------------------------------

"$cw" convert -f jats - -o ref.bib <"$article" 2>/dev/null
"$cw" convert -f jats - -o out.bib <"$article" 2>&-
expect_status 0 $? "fd 2 closed"
if cmp -s ref.bib out.bib; then ok "fd 2 closed: the output holds no message"; else
	fail "fd 2 closed: the output differs:"
	diff ref.bib out.bib | head -10
fi

rm -f out.json
"$cw" -q convert -f jats - -o out.json -t bibtex -o - <"$article" >&- 2>err
expect_status 4 $? "fd 1 closed"
expect_grep "<stdout>: cannot write: Bad file descriptor" err "fd 1 closed is reported"
if [ -e out.json ]; then fail "fd 1 closed: out.json was committed"; else ok "fd 1 closed: nothing committed"; fi

"$cw" -q convert -f jats - out.bib <&- 2>err
expect_status 3 $? "fd 0 closed"

# --- item 9: a replaced file keeps its mode and owner -------------------------

echo EARLIER >kept.json
chmod 604 kept.json
owner=
if [ "$(id -u)" -eq 0 ]; then
	chown 65534:65534 kept.json && owner=65534:65534
fi
"$cw" -q convert "$article" kept.json
expect_status 0 $? "replacing kept.json"
mode=$(stat -c %a kept.json)
[ "$mode" = 604 ] && ok "mode kept" || fail "mode $mode, expected 604"
if [ -n "$owner" ]; then
	got=$(stat -c %u:%g kept.json)
	[ "$got" = "$owner" ] && ok "owner kept" || fail "owner $got, expected $owner"
else
	echo "skip: owner (needs root to give a file away)"
fi

# --- item 10: signals and stale temporaries ----------------------------------

mkfifo in.fifo
# sig number
for s in INT:2 TERM:15 HUP:1; do
	sig=${s%:*} num=${s#*:}
	echo EARLIER >out.json
	/usr/bin/python3 run.py "$sig=dfl" -- "$cw" -q convert -f bibtex in.fifo -o out.json -o out2.bib 2>err &
	pid=$!
	exec 3>in.fifo
	gen_bib 3000 >&3 # the run is under way, and blocked reading more
	if wait_for_temporary; then
		kill -s "$sig" $pid
		wait $pid
		expect_status $((128 + num)) $? "SIG$sig"
	else
		fail "SIG$sig: no temporary file appeared"
		kill -s KILL $pid
		wait $pid
	fi
	exec 3>&-
	expect_no_temporaries "SIG$sig"
	expect_grep EARLIER out.json "SIG$sig: out.json untouched"
	[ -e out2.bib ] && fail "SIG$sig: out2.bib committed" || ok "SIG$sig: out2.bib not committed"
done

# SIGKILL leaves its temporaries; the next run in the directory removes them,
# and never the temporaries of a run that is still going
"$cw" -q convert -f bibtex in.fifo -o dead.json 2>err &
pid=$!
exec 3>in.fifo
gen_bib 3000 >&3
wait_for_temporary || fail "SIGKILL: no temporary file appeared"
kill -s KILL $pid
wait $pid
exec 3>&-
stale=$(temporaries)
[ -n "$stale" ] && ok "SIGKILL left $stale" || fail "SIGKILL: nothing left to clean up"
# a live run in the same directory
"$cw" -q convert -f bibtex in.fifo -o live.json 2>err &
live=$!
exec 3>in.fifo
gen_bib 3000 >&3
wait_for_temporary || fail "live run: no temporary file appeared"
live_tmp=$(temporaries | grep '^\.live\.json\.' || true)
[ -n "$live_tmp" ] || fail "live run: no temporary of live.json"
# another user's or another host's debris is not ours to remove
foreign=.x.json.crosswalk-00000000-1-1-AbCdEf
: >"$foreign"
"$cw" -q convert "$article" next.json
expect_status 0 $? "the next run"
for t in $stale; do
	[ -e "$t" ] && fail "stale $t not removed" || ok "stale $t removed"
done
[ -e "$live_tmp" ] && ok "live run's temporary kept" || fail "live run's $live_tmp removed"
[ -e "$foreign" ] && ok "other host's temporary kept" || fail "$foreign removed"
rm -f "$foreign"
exec 3>&-
wait $live
expect_status 0 $? "the live run, finished"
[ -s live.json ] && ok "live run committed" || fail "live run: no live.json"
expect_no_temporaries "after all runs"

echo "$failures failure(s)"
[ "$failures" -eq 0 ]
