#!/bin/sh
# Installs this build into a temporary prefix and checks that the installed
# tree works on its own: files in place, the installed crosswalk finds the
# installed plugins, the example out-of-tree plugin builds against the
# installed CMake package and loads with --plugin, the embedding example
# builds with pkg-config and runs.
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
for f in bin/crosswalk include/crosswalk/crosswalk.h include/crosswalk/version.h \
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
