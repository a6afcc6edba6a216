/*
 * A command's options from one table (cli_opt): the parser reads the
 * command line with it and --help prints it, so that what is accepted and
 * what is documented cannot drift apart.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int takes_value(const cli_opt *o)
{
	return o->metavar != NULL;
}

/* The row of table named by the long name name[0..len) or the letter c (when len is 0). */
static const cli_opt *lookup(const cli_opt *table, const char *name, size_t len, char c)
{
	for (const cli_opt *o = table; o && o->name; o++) {
		if (o->flags & CLI_OPT_ANY)
			continue;
		if (len ? strlen(o->name) == len && memcmp(o->name, name, len) == 0
		        : o->short_name && o->short_name == c)
			return o;
	}
	return NULL;
}

const cli_opt *cli_opt_find(const cli_opt *table, const char *arg)
{
	if (arg[0] != '-' || !arg[1])
		return NULL;
	if (arg[1] == '-')
		return arg[2] ? lookup(table, arg + 2, strcspn(arg + 2, "="), 0) : NULL;
	const cli_opt *o = lookup(table, NULL, 0, arg[1]);
	/* "-fVALUE" for an option that takes one; "-qv" is no option */
	return o && (!arg[2] || takes_value(o)) ? o : NULL;
}

const char *cli_parse_take(cli_parse *p)
{
	return p->i + 1 < p->argc ? p->argv[++p->i] : NULL;
}

static int apply(const cli_opt *o, void *self, const char *value, cli_parse *p)
{
	char *member = (char *)self + o->member;
	switch (o->action) {
	case CLI_OPT_FLAG:
		*(int *)(void *)member = 1;
		return 0;
	case CLI_OPT_STRING:
		*(const char **)(void *)member = value;
		return 0;
	case CLI_OPT_APPEND: {
		cli_strings *s = (cli_strings *)(void *)member;
		const char **v = realloc(s->v, (s->n + 1) * sizeof *v);
		if (!v)
			cli_oom();
		s->v = v;
		s->v[s->n++] = value;
		return 0;
	}
	case CLI_OPT_CALL:
		return o->fn(self, value, p);
	case CLI_OPT_GLOBAL:
		break;
	}
	cli_error("option --%s does nothing (a bad row in its table)", o->name);
	return -1;
}

static int option(cli_parse *p, void *self)
{
	const char *a = p->argv[p->i];
	const cli_command_spec *spec = p->spec;
	const cli_opt *o = cli_opt_find(spec->opts, a);
	if (o && o->action == CLI_OPT_GLOBAL)
		o = lookup(cli_global_opts, o->name, strlen(o->name), 0);
	else if (!o && spec->opts != cli_global_opts)
		o = cli_opt_find(cli_global_opts, a);
	if (o && lookup(cli_global_opts, o->name, strlen(o->name), 0) == o)
		self = p->common;
	if (!o && a[1] == '-') {
		for (const cli_opt *any = spec->opts; any->name; any++)
			if (any->flags & CLI_OPT_ANY) {
				p->opt = any;
				return any->fn(self, a + 2, p);
			}
	}
	if (!o) {
		cli_error("unknown option '%s'; see 'crosswalk%s%s --help'", a,
		          spec->name ? " " : "", spec->name ? spec->name : "");
		return -1;
	}
	const char *value = NULL;
	if (a[1] == '-') {
		const char *eq = strchr(a, '=');
		if (eq && !takes_value(o)) {
			cli_error("option --%s takes no value", o->name);
			return -1;
		}
		value = eq ? eq + 1 : NULL;
	} else if (a[2]) {
		value = a + 2;
	}
	if (!value && takes_value(o) && !(o->flags & CLI_OPT_OPTIONAL)) {
		value = cli_parse_take(p);
		if (!value) {
			cli_error("option %s needs a value", a);
			return -1;
		}
	}
	p->opt = o;
	return apply(o, self, value, p);
}

int cli_parse_args(const cli_command_spec *spec, int argc, char **argv, void *self,
                   cli_common *common)
{
	cli_parse p = {argc, argv, 1, spec, common, NULL};
	int only_positional = 0;
	for (; p.i < argc; p.i++) {
		const char *a = argv[p.i];
		int rc;
		if (!only_positional && strcmp(a, "--") == 0) {
			only_positional = 1;
			continue;
		}
		if (only_positional || a[0] != '-' || !a[1]) {
			if (!spec->positional) {
				cli_error("unknown argument '%s'; see 'crosswalk%s%s --help'", a,
				          spec->name ? " " : "", spec->name ? spec->name : "");
				return -1;
			}
			p.opt = NULL;
			rc = spec->positional(self, a, &p);
		} else {
			rc = option(&p, self);
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* Appends "-f, --from FORMAT" of row o. */
static void spell(cw_buf *col, const cli_opt *o)
{
	if (o->short_name)
		cw_buf_printf(col, "-%c, ", o->short_name);
	cw_buf_printf(col, "--%s", o->name);
	if (o->metavar)
		cw_buf_printf(col, (o->flags & CLI_OPT_OPTIONAL) ? "[=%s]" : " %s", o->metavar);
}

void cli_help(FILE *f, const cli_command_spec *spec)
{
	if (spec->help) {
		spec->help(f);
		return;
	}
	fputs(spec->usage, f);
	cli_opt_help(f, spec);
	if (spec->epilog)
		fputs(spec->epilog, f);
}

void cli_opt_help(FILE *f, const cli_command_spec *spec)
{
	size_t column = (size_t)spec->column;
	cw_buf col = CW_BUF_INIT;
	for (const cli_opt *o = spec->opts; o->name; o++) {
		if (!o->help)
			continue; /* listed with the row before */
		cw_buf_clear(&col);
		cw_buf_append(&col, !o->short_name && spec->align ? "      " : "  ", CW_NUL);
		spell(&col, o);
		for (const cli_opt *more = o + 1; more->name && !more->help; more++) {
			cw_buf_append(&col, ", ", 2);
			spell(&col, more);
		}
		const char *line = o->help;
		if (col.len < column) {
			fprintf(f, "%-*s", spec->column, cw_buf_str(&col));
		} else {
			fprintf(f, "%s\n%*s", cw_buf_str(&col), spec->column, "");
		}
		for (;;) {
			size_t n = strcspn(line, "\n");
			fprintf(f, "%.*s\n", (int)n, line);
			if (!line[n])
				break;
			line += n + 1;
			fprintf(f, "%*s", spec->column, "");
		}
	}
	cw_buf_free(&col);
}

int cli_common_option(int argc, char **argv, int i, cli_common *common)
{
	static const cli_command_spec global = {.opts = cli_global_opts};
	const cli_opt *o = cli_opt_find(cli_global_opts, argv[i]);
	/* not --help or --version, which print and stop (a call without a value) */
	if (!o || (o->action == CLI_OPT_CALL && !takes_value(o)))
		return 0;
	cli_parse p = {argc, argv, i, &global, common, NULL};
	return option(&p, common) < 0 ? -1 : p.i - i + 1;
}
