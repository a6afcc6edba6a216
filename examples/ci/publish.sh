#!/bin/sh
# A journal's publish step: for every JATS article of an issue, write the
# citation formats beside it from one parse, and a loss report per article.
# Fails (non-zero) on invalid input; with STRICT=1 it also fails when a
# format cannot carry something the article has.
#
#   examples/ci/publish.sh issues/2008-01/
set -eu
dir=${1:?usage: publish.sh ISSUE_DIR}
strict=""
[ "${STRICT:-0}" = 1 ] && strict="--strict"
status=0
for article in "$dir"/*.xml; do
	case "$article" in *.dc.xml) continue ;; esac
	base=${article%.xml}
	# shellcheck disable=SC2086
	crosswalk convert -f jats $strict --report "$base.loss.json" "$article" \
		-o "$base.bib" -o "$base.json" -o "$base.dc.xml" || status=$?
done
exit "$status"
