#!/bin/sh
# Installs this build into a temporary prefix and checks that the installed
# tree works on its own: files in place, the installed crosswalk finds the
# installed plugins, the example out-of-tree plugins build against the
# installed CMake package and load with --plugin (the RIS reader and writer
# also passes the installed crosswalk-plugin-test, replays its samples
# through its fuzz harness and installs itself into crosswalk_PLUGIN_DIR),
# the embedding example builds with pkg-config and runs.
# usage: run_install_test.sh BUILD_DIR SOURCE_DIR WORK_DIR [EXTRA_CFLAGS...]
# (CC: the compiler of the build, so sanitizer runtimes match)
set -eu
build=$1 src=$2 work=$3
shift 3
extra="$*"
rm -rf "$work"
mkdir -p "$work"
prefix="$work/prefix"
cmake --install "$build" --prefix "$prefix" >"$work/install.log"

fail() { echo "install test: $*" >&2; exit 1; }
libdir=$(dirname "$(find "$prefix" -name 'libcrosswalk.so' | head -1)")
[ -n "$libdir" ] || fail "libcrosswalk.so not installed"
for f in bin/crosswalk bin/crosswalk-plugin-test include/crosswalk/crosswalk.h \
         include/crosswalk/map.h include/crosswalk/version.h \
         share/man/man1/crosswalk.1 share/zsh/site-functions/_crosswalk; do
	[ -e "$prefix/$f" ] || fail "$f not installed"
done
# bash-completion's completionsdir (under the prefix), else the usual place
bashcomp=$(pkg-config --define-variable=prefix="$prefix" --variable=completionsdir \
	bash-completion 2>/dev/null || true)
case $bashcomp in
"$prefix"/*) ;;
*) bashcomp="$prefix/share/bash-completion/completions" ;;
esac
[ -f "$bashcomp/crosswalk" ] || fail "bash completion not installed in $bashcomp"
[ -f "$libdir/pkgconfig/crosswalk.pc" ] || fail "crosswalk.pc not installed"
[ -f "$libdir/crosswalk/plugins/csljson.so" ] || fail "csljson plugin not installed"
[ -f "$libdir/crosswalk/plugins/filters.so" ] || fail "filters plugin (the references filter) not installed"

# the installed binary, without any hint, finds the installed plugins
unset CROSSWALK_PLUGIN_PATH
"$prefix/bin/crosswalk" formats >"$work/formats.txt"
grep -q "$libdir/crosswalk/plugins/csljson.so" "$work/formats.txt" ||
	fail "installed crosswalk did not load the installed plugins: $(cat "$work/formats.txt")"
grep -q "$build/plugins/" "$work/formats.txt" && fail "installed crosswalk loaded plugins from the build tree"

cat >"$work/in.json" <<'JSON'
[{"id": "laumulin2008", "type": "article-journal",
  "title": "Kazakhstan and Russia: <i>Two</i> Neighbors",
  "author": [{"family": "Laumulin", "given": "Murat"}, {"family": "Shaken", "given": "Adil"}],
  "container-title": "Central Asia and the Caucasus", "volume": "9", "issue": "1",
  "page": "112-124", "issued": {"date-parts": [[2008, 2, 29]]}, "publisher": "CA&CC Press"}]
JSON

# out-of-tree plugin against the installed CMake package
cmake -S "$src/examples/plugin" -B "$work/tsv" -DCMAKE_PREFIX_PATH="$prefix" \
	-DCMAKE_C_FLAGS="$extra" >"$work/tsv-configure.log"
cmake --build "$work/tsv" >"$work/tsv-build.log"
"$prefix/bin/crosswalk" --plugin "$work/tsv/tsv.so" convert "$work/in.json" "$work/out.tsv" \
	2>"$work/tsv-stderr.txt"
printf 'laumulin2008\tarticle-journal\t2008\tLaumulin, Murat; Shaken, Adil\tKazakhstan and Russia: Two Neighbors\tCentral Asia and the Caucasus\t9\t1\t112-124\t\n' >"$work/expected-row"
tail -n 1 "$work/out.tsv" | cmp -s - "$work/expected-row" ||
	fail "tsv plugin output differs: $(cat "$work/out.tsv")"
grep -q "not carried by tsv: publisher" "$work/tsv-stderr.txt" ||
	fail "tsv plugin did not report the publisher as not carried: $(cat "$work/tsv-stderr.txt")"

# the out-of-tree RIS reader and writer (examples/plugin-ris), built with the
# installed CMake package only, using the core's helpers for plugin authors
ris_src="$src/examples/plugin-ris"
cmake -S "$ris_src" -B "$work/ris" -DCMAKE_PREFIX_PATH="$prefix" \
	-DCMAKE_C_FLAGS="$extra" -DCMAKE_EXE_LINKER_FLAGS="$extra" >"$work/ris-configure.log"
cmake --build "$work/ris" >"$work/ris-build.log"
"$prefix/bin/crosswalk" --plugin "$work/ris/ris.so" convert "$ris_src/samples/article.ris" \
	"$work/article.json" 2>"$work/ris-stderr.txt" || fail "RIS conversion failed: $(cat "$work/ris-stderr.txt")"
for want in '"title": "Kazakhstan and Russia: Two Neighbors"' '"family": "Laumulin"' \
	'"date-parts": [[2008, 2, 29]]' '"page": "112-124"' '"ISSN": "1404-6091"' \
	'"container-title-short": "Cent. Asia Caucasus"' \
	'"abstract": "The relations between the two neighbours since 1991, and what the customs union changed."'; do
	grep -qF "$want" "$work/article.json" || fail "RIS reader: $want missing: $(cat "$work/article.json")"
done
# the reader's probe: no --from and no .ris name needed
cp "$ris_src/samples/article.ris" "$work/article.txt"
"$prefix/bin/crosswalk" --plugin "$work/ris/ris.so" convert "$work/article.txt" "$work/probed.json" \
	2>"$work/ris-stderr.txt" || fail "the RIS probe did not claim the sample: $(cat "$work/ris-stderr.txt")"
# its options, positions and push-back: a record without ER ends at the next TY
"$prefix/bin/crosswalk" --plugin "$work/ris/ris.so" convert -O ris.keep-unknown=false \
	"$ris_src/samples/edge.ris" "$work/edge.json" 2>"$work/ris-stderr.txt"
grep -q 'edge.ris:11:7: warning: N1: dropped (keep-unknown=false)' "$work/ris-stderr.txt" &&
	grep -q 'edge.ris:18:7: warning: DA .2021/02/30/.: there is no 30 February 2021' "$work/ris-stderr.txt" &&
	grep -q 'edge.ris:15:1: warning: the record has no ER before the next TY (line 19)' "$work/ris-stderr.txt" ||
	fail "RIS reader diagnostics: $(cat "$work/ris-stderr.txt")"
grep -q '"title": "A report"' "$work/edge.json" || fail "the record after the pushed-back TY is lost"
# the installed harness passes the plugin over its samples, checking the loss reports
export CROSSWALK_PLUGIN_PATH="$libdir/crosswalk/plugins"
for via in csljson bibtex; do
	"$prefix/bin/crosswalk-plugin-test" --plugin "$work/ris/ris.so" --format ris --via "$via" \
		"$ris_src"/samples/*.ris >"$work/harness.txt" ||
		fail "crosswalk-plugin-test --via $via: $(cat "$work/harness.txt")"
done
# ... and fails when a loss report is not what the sample expects
mkdir -p "$work/wrong"
cp "$ris_src/samples/edge.ris" "$work/wrong/"
printf 'translator 1\ntype 2\n' >"$work/wrong/edge.ris.bibtex.losses"
if "$prefix/bin/crosswalk-plugin-test" --plugin "$work/ris/ris.so" --format ris --via bibtex \
	"$work/wrong/edge.ris" >"$work/harness.txt"; then
	fail "crosswalk-plugin-test passed a wrong loss report: $(cat "$work/harness.txt")"
fi
grep -q "'ris:N1' reported 1 times, not expected" "$work/harness.txt" ||
	fail "crosswalk-plugin-test did not name the unexpected loss: $(cat "$work/harness.txt")"
unset CROSSWALK_PLUGIN_PATH
# the fuzz harness template replays the samples
"$work/ris/fuzz_ris" "$ris_src/samples" >"$work/fuzz.txt" || fail "fuzz_ris: $(cat "$work/fuzz.txt")"
# crosswalk_PLUGIN_DIR: the plugin installs itself where the installed crosswalk looks
cmake --install "$work/ris" >"$work/ris-install.log"
[ -f "$libdir/crosswalk/plugins/ris.so" ] || fail "ris.so not installed into crosswalk_PLUGIN_DIR"
"$prefix/bin/crosswalk" formats >"$work/formats.txt"
grep -q "$libdir/crosswalk/plugins/ris.so" "$work/formats.txt" ||
	fail "the installed crosswalk does not find the installed RIS plugin: $(cat "$work/formats.txt")"

# embedding program through pkg-config
export PKG_CONFIG_PATH="$libdir/pkgconfig"
# shellcheck disable=SC2046
"${CC:-cc}" -std=c11 $extra "$src/examples/embed/embed.c" $(pkg-config --cflags --libs crosswalk) \
	-o "$work/embed"
CROSSWALK_PLUGIN_PATH="$libdir/crosswalk/plugins" LD_LIBRARY_PATH="$libdir" \
	"$work/embed" "$work/in.json" >"$work/embed.out"
grep -q "^article-journal (2008) Kazakhstan and Russia: Two Neighbors$" "$work/embed.out" ||
	fail "embed summary wrong: $(cat "$work/embed.out")"
grep -q '"title": "Kazakhstan and Russia: <i>Two</i> Neighbors"' "$work/embed.out" ||
	fail "embed CSL-JSON output wrong: $(cat "$work/embed.out")"
echo "install test: ok ($prefix)"
