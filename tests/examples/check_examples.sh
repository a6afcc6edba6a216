#!/bin/sh
# The example article's conversions committed in examples/ are what this
# build writes, and CSL-JSON -> CSL-JSON of the example is the same bytes.
# usage: check_examples.sh CROSSWALK SOURCE_DIR WORK_DIR
set -eu
crosswalk=$1 src=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
"$src/examples/convert-article.sh" "$crosswalk" "$work" 2>"$work/stderr.txt"
status=0
for f in "$work"/article.*; do
	name=$(basename "$f")
	if ! cmp -s "$f" "$src/examples/$name"; then
		echo "examples/$name is not what this build writes (run examples/convert-article.sh build/crosswalk examples):"
		diff -u "$src/examples/$name" "$f" | head -40
		status=1
	fi
done
"$crosswalk" convert -q "$src/examples/article.json" "$work/again.json"
cmp -s "$work/again.json" "$src/examples/article.json" ||
	{ echo "CSL-JSON -> CSL-JSON changed examples/article.json"; status=1; }
# the loss report names what each format could not carry, and nothing else
grep -q "not carried by bibtex: affiliations" "$work/stderr.txt" ||
	{ echo "expected bibtex to report the affiliations as not carried:"; cat "$work/stderr.txt"; status=1; }
if grep -q "not carried by csljson" "$work/stderr.txt"; then
	echo "CSL-JSON must carry every field:"; cat "$work/stderr.txt"; status=1
fi
exit $status
