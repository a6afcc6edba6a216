#!/bin/sh
# The shell completions of share/completions: bash's completion function,
# called as bash calls it (COMP_WORDS, COMP_CWORD), offers commands, options,
# the format and filter names of the crosswalk being completed (with the
# command line's --plugin files) and file names. zsh's script is checked for
# syntax when zsh is installed.
#
# usage: completion.sh CROSSWALK SOURCE_DIR FIXTURE_PLUGIN WORKDIR
set -eu
exe=$1 src=$2 fixture=$3 work=$4
rm -rf "$work"
mkdir -p "$work/sub dir"
cd "$work"
: >article.xml
: >refs.bib
: >crosswalk.yaml

# complete WORD... : the completions of the last word, one a line
cat >complete.bash <<'EOS'
source "$CW_COMPLETION"
complete_words() {
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_crosswalk
	printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort
}
complete_words "$@"
EOS
complete() {
	CW_COMPLETION="$src/share/completions/crosswalk.bash" bash complete.bash "$exe" "$@"
}
fail=0
expect() { # WANT WORD... : the completions are WANT (lines)
	want=$1
	shift
	got=$(complete "$@")
	if [ "$got" != "$want" ]; then
		printf 'completing "%s": got\n%s\nwant\n%s\n\n' "$*" "$got" "$want"
		fail=1
	fi
}
nl='
'
expect "batch${nl}convert${nl}formats${nl}help" ""
expect "convert" c
expect "--plugin" --p
expect "convert" help co
expect "--output${nl}--output-dir" convert --out
expect "--json" formats --j
# format names from the crosswalk being completed
expect "biblatex${nl}bibtex" convert -t bib
expect "biblatex${nl}bibtex" convert in.xml -o out.txt --to = bib
expect "csljson${nl}csljsonl" convert -f csl
expect "jats" convert --from ja
expect "parse-citations${nl}references" convert --filter ""
# with the command line's plugins: the fixture's formats and filters too
expect "cwt-count${nl}cwt-drop${nl}cwt-dup" --plugin "$fixture" convert --filter cwt
expect "cwtest${nl}cwtwin" --plugin "$fixture" convert -t cwt
# file names, and directories only for --output-dir
expect "article.xml" convert art
expect "refs.bib" convert article.xml -o re
expect "sub dir" convert -d s
expect "sub dir" convert --output-dir su
expect "depth=" convert --limit de
# batch: its options, batch files and directories
expect "--diagnostics-format${nl}--diff${nl}--dry-run" batch --d
expect "crosswalk.yaml" batch cr
expect "github${nl}json${nl}text" batch --diagnostics-format ""
expect "--allow-loss${nl}--allow-loss-from" convert --allow
expect "--allow-loss${nl}--allow-loss-from" batch --allow
expect "github${nl}json${nl}text" convert --diagnostics-format ""
expect "windows-1250${nl}windows-1251${nl}windows-1252" convert --input-encoding win

# the names match 'formats --names' exactly (no name is made up)
want=$("$exe" formats --names=writers | LC_ALL=C sort)
expect "$want" convert -t ""

if command -v zsh >/dev/null 2>&1; then
	zsh -n "$src/share/completions/_crosswalk" || fail=1
else
	echo "zsh not installed: its completion is not checked"
fi
[ $fail = 0 ] && echo "completion: ok"
exit $fail
