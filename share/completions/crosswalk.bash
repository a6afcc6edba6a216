# bash completion for crosswalk(1): commands, options, format and filter
# names (asked of crosswalk itself: 'crosswalk formats --names=KIND', with the
# command line's --plugin files), file names.
# Installed as <completionsdir>/crosswalk; or source it from ~/.bashrc.

# Names of KIND (formats, readers, writers, filters) the crosswalk being
# completed knows, with the plugins the command line names.
_crosswalk_names()
{
	local i exe=${COMP_WORDS[0]}
	local -a plugins=()
	for ((i = 1; i < ${#COMP_WORDS[@]} - 1; i++)); do
		case ${COMP_WORDS[i]} in
		--plugin) plugins+=(--plugin "${COMP_WORDS[i + 1]}") ;;
		esac
	done
	[[ $exe == "~/"* ]] && exe=$HOME/${exe#"~/"}
	"$exe" "${plugins[@]}" -q formats --names="$1" 2>/dev/null
}

_crosswalk_files()
{
	compopt -o filenames 2>/dev/null
	COMPREPLY=($(compgen -f -- "$1"))
}

_crosswalk()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev= cmd= i
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	# "--to=bib" comes as "--to" "=" "bib" ('=' breaks words)
	if [[ $cur == = ]]; then
		cur=
	elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	fi
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--plugin) ((i++)) ;;
		-*) ;;
		*)
			cmd=${COMP_WORDS[i]}
			break
			;;
		esac
	done
	COMPREPLY=()
	if [[ $prev == --plugin ]]; then
		_crosswalk_files "$cur"
		return
	fi
	local IFS=$'\n'
	case $cmd in
	"")
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W $'--plugin\n--quiet\n--verbose\n--diagnostics-format\n--help\n--version' -- "$cur"))
		else
			COMPREPLY=($(compgen -W $'convert\nbatch\nformats\nhelp' -- "$cur"))
		fi
		;;
	help)
		[[ $prev == help ]] && COMPREPLY=($(compgen -W $'convert\nbatch\nformats\nhelp' -- "$cur"))
		;;
	formats)
		COMPREPLY=($(compgen -W $'-v\n--verbose\n--json\n--names\n--names=formats\n--names=readers\n--names=writers\n--names=filters\n--plugin\n--quiet\n--help' -- "$cur"))
		;;
	batch)
		case $prev in
		-j | --jobs) ;;
		--report | --allow-loss-from) _crosswalk_files "$cur" ;;
		--allow-loss) ;;
		--diagnostics-format) COMPREPLY=($(compgen -W $'text\njson\ngithub' -- "$cur")) ;;
		*)
			if [[ $cur == -* ]]; then
				COMPREPLY=($(compgen -W $'--jobs\n--report\n--strict\n--allow-loss\n--allow-loss-from\n--check\n--diff\n--diagnostics-format\n--dry-run\n--plugin\n--quiet\n--verbose\n--help' -- "$cur"))
			else
				compopt -o filenames 2>/dev/null
				COMPREPLY=($(compgen -f -X '!*.yaml' -- "$cur") $(compgen -f -X '!*.yml' -- "$cur") $(compgen -d -- "$cur"))
			fi
			;;
		esac
		;;
	convert)
		case $prev in
		-f | --from) COMPREPLY=($(compgen -W "$(_crosswalk_names readers)" -- "$cur")) ;;
		-t | --to) COMPREPLY=($(compgen -W "$(_crosswalk_names writers)" -- "$cur")) ;;
		--filter) COMPREPLY=($(compgen -W "$(_crosswalk_names filters)" -- "$cur")) ;;
		-d | --output-dir)
			compopt -o filenames 2>/dev/null
			COMPREPLY=($(compgen -d -- "$cur"))
			;;
		-o | --output | --report | --crosswalk | --allow-loss-from) _crosswalk_files "$cur" ;;
		--diagnostics-format) COMPREPLY=($(compgen -W $'text\njson\ngithub' -- "$cur")) ;;
		--input-encoding)
			COMPREPLY=($(compgen -W $'auto\nutf-8\nutf-16\nutf-16le\nutf-16be\nwindows-1252\nlatin1\niso-8859-15\niso-8859-2\nwindows-1250\nwindows-1251\nkoi8-r\nmacintosh' -- "$cur"))
			;;
		--limit)
			compopt -o nospace 2>/dev/null
			COMPREPLY=($(compgen -W $'input-bytes=\nfield-bytes=\ndepth=\nnames=\nrecords=\nchildren=\nhops=\nrecord-bytes=\nfields=\nattributes=\nmacros=' -- "$cur"))
			;;
		-O | --option) ;;
		*)
			if [[ $cur == -* ]]; then
				COMPREPLY=($(compgen -W $'--from\n--to\n--output\n--output-dir\n--filter\n--option\n--input-encoding\n--strict\n--allow-loss\n--allow-loss-from\n--check\n--diff\n--report\n--diagnostics-format\n--crosswalk\n--limit\n--plugin\n--quiet\n--verbose\n--help' -- "$cur"))
			else
				_crosswalk_files "$cur"
			fi
			;;
		esac
		;;
	esac
}
complete -F _crosswalk crosswalk
