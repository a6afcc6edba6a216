#!/bin/sh
# Converts the example article (examples/article.xml, JATS) into every
# format crosswalk writes, from one parse. `make example` runs it into
# build/examples/; the files committed beside this script are its output,
# and the `examples` test checks they are current.
# usage: examples/convert-article.sh CROSSWALK OUTDIR
set -eu
crosswalk=$1 out=$2
here=$(dirname "$0")
mkdir -p "$out"
"$crosswalk" convert "$here/article.xml" \
	-o "$out/article.json" \
	-o "$out/article.bib" \
	-t biblatex -o "$out/article.biblatex.bib" \
	-o "$out/article.dc.xml" \
	-o "$out/article.dcterms.xml" \
	-t html-meta -o "$out/article.html"
